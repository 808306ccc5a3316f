#!/usr/bin/env bats
# Exercise 5.1: Two readers, one socket.
# kind: break (the bell watchers read with read_some and the ringer writes a second byte; exactly one fd_talk test must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 5.1: fd_talk's bell ends with both watchers reading a byte of their own" {
    run_program 10 fd_talk
    assert_success
    assert_equal "${#lines[@]}" 12
    assert_equal "${lines[8]}" "ringer: writes one byte"
    assert_equal "${lines[9]}" "first watcher: reads '!'"
    assert_equal "${lines[10]}" "ringer: writes a second byte"
    assert_equal "${lines[11]}" "second watcher: reads '?'"
}

@test "exercise 5.1: the two-watchers test of chapter 5 fails, and no other test of chapter 5" {
    run chapter_tests_failing 5 5
    assert_output - <<'EOF2'
05-file-descriptors.bats: fd_talk: two tasks waiting readable on one socket are both woken, oldest first
EOF2
}

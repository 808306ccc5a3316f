#!/usr/bin/env bats
# Exercise 5.1: Two readers, one socket.
# kind: break (the bell watchers read with read_some and the ringer writes a second byte; exactly one fd_talk test must fail)
load ../helpers
bats_require_minimum_version 1.5.0

# failing_in FILE.bats: run one chapter's tests against $STAGE_DIR and print "FILE.bats: NAME"
# for each test that fails (chapter_tests_failing runs chapters 1..N at once, which takes
# longer than the runner's time limit for one test on a busy machine).
failing_in() {
    local file="$TESTS_DIR/$1" name number names=()
    while IFS= read -r name; do names+=("$name"); done < <(sed -n 's/^@test "\(.*\)" {$/\1/p' "$file")
    STAGE_DIR="$STAGE_DIR" bats --tap "$file" 2>&1 | sed -n 's/^not ok \([0-9]*\) .*/\1/p' |
        while read -r number; do echo "$1: ${names[number - 1]}"; done
}

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
    run failing_in 05-file-descriptors.bats
    assert_output - <<'EOF2'
05-file-descriptors.bats: fd_talk: two tasks waiting readable on one socket are both woken, oldest first
EOF2
}

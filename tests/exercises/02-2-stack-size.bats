#!/usr/bin/env bats
# Exercise 2.2: A stack size per coroutine.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 2.2: turns --overflow 128 256 digs 128 KiB into a 256 KiB stack and comes back up" {
    run_program 10 turns --overflow 128 256
    assert_success
    assert_equal "$output" "task 2: step 1
task 1: digging 128 KiB deep into a 256 KiB stack
task 1: back up safely
task 2: step 2
2 tasks created and finished"
}

@test "exercise 2.2: the default stack is still 64 KiB, and overflowing it still hits the guard page" {
    run_program 10 turns --overflow 128
    assert_equal "$output" "task 2: step 1
task 1: digging 128 KiB deep into a 64 KiB stack"
    if built_with_asan turns; then
        assert_failure
    else
        assert_equal "$status" 139
    fi
}

@test "exercise 2.2: a stack size of 0 or not a number is refused with the usage" {
    for size in 0 abc 256x; do
        run "$BIN/turns" --overflow 128 "$size"
        assert_failure 2
        assert_output --partial "usage: turns"
    done
}

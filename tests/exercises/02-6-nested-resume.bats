#!/usr/bin/env bats
# Exercise 2.6: Resuming from inside a coroutine.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 2.6: turns 1 2 runs walker 1's child to the end, then walker 1, then the total" {
    run_program 10 turns 1 2
    assert_success
    assert_equal "$output" "task 10: step 1
task 10: step 2
task 1: step 1
task 1: step 2
1 tasks created and finished"
}

@test "exercise 2.6: the nested resumes are clean under valgrind" {
    run_under_valgrind 60 turns 1 2
    assert_success
    assert_line "1 tasks created and finished"
}

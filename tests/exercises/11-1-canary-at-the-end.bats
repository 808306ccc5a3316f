#!/usr/bin/env bats
# Exercise 11.1: Check the canary only at the end.
# kind: break (coroutine_yield and coroutine_switch no longer check the canary; exactly the unguarded-overflow test of Chapter 11 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 11.1: with the canary checked only at the end, the unguarded-overflow test fails, and no other" {
    run chapter_tests_failing 11 11
    assert_output "11-stacks-for-many-tasks.bats: stacks_check overflow-unguarded: the canary stops a task that ran off an unguarded stack"
}

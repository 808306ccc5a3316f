#!/usr/bin/env bats
# Exercise 16.2: Edge-triggered deadlines.
# kind: break (a deadline is spent once reported; exactly the transcript and level-triggering tests of Chapter 16 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 16.2: with a deadline told once, the transcript and the level-triggering test fail" {
    run chapter_tests_failing 16 16
    assert_output "16-deadlines.bats: deadline_cases prints every rule's case in order and exits with 0
16-deadlines.bats: once its deadline has passed, every wait in the scope fails at once until it is left"
}

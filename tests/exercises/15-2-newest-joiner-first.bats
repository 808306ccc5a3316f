#!/usr/bin/env bats
# Exercise 15.2: The newest joiner first.
# kind: break (loop_add_joiner pushes at the front; exactly the three tests of Chapter 15 that see more than one joiner of a task must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 15.2: with the newest joiner woken first, the tests of the joiners' order fail, and no other" {
    run chapter_tests_failing 15 15
    assert_output "15-waiting-for-a-task.bats: join_cases prints every case in order and exits with 0
15-waiting-for-a-task.bats: three joiners of one task all wake when it ends, oldest first, each with its result
15-waiting-for-a-task.bats: joiners cancelled while they wait leave at once; the others, and one that came after, still wake in order"
}

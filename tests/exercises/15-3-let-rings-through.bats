#!/usr/bin/env bats
# Exercise 15.3: Let rings through.
# kind: break (loop_would_deadlock refuses only a task joining itself; exactly the four tests of Chapter 15 that see join_cases's ring must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 15.3: with rings let through, the loop ends with the ring suspended, and exactly those tests fail" {
    run chapter_tests_failing 15 15
    assert_output "15-waiting-for-a-task.bats: join_cases prints every case in order and exits with 0
15-waiting-for-a-task.bats: a ring of joiners is refused where it would close (EDEADLK); the others then wake in turn
15-waiting-for-a-task.bats: every task of join_cases ends, and the loop ends with none left waiting
15-waiting-for-a-task.bats: join_cases leaks no task and touches no freed memory (valgrind)"
}

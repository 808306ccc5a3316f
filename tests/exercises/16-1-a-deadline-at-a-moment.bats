#!/usr/bin/env bats
# Exercise 16.1: A deadline at a moment.
# kind: code
load ../helpers

@test "exercise 16.1: deadline_at: two scopes at one moment share a deadline, on time; misuse refused" {
    run_program 10 deadline_at
    assert_success
    assert_output "first scope: a 10 s sleep: Connection timed out (on time)
second scope, the same moment: a yield: Connection timed out
a moment 1 s away: a 10 ms sleep: ok
NULL moment: Invalid argument; 1e9 ns: Invalid argument
outside a task: Operation not permitted"
}

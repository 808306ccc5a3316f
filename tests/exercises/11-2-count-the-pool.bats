#!/usr/bin/env bats
# Exercise 11.2: Count the pool.
# kind: code
load ../helpers

@test "exercise 11.2: stacks_check pool counts every stack while the pool has room" {
    run_program 30 stacks_check pool 100
    assert_success
    assert_output "pool made=101 kept=100"
    run_program 30 stacks_check pool 1024
    assert_success
    assert_output "pool made=1025 kept=1024"
}

@test "exercise 11.2: past 1,024 free stacks, the pool unmaps what it cannot keep" {
    run_program 30 stacks_check pool 1025
    assert_success
    assert_output "pool made=1025 kept=1024"
    run_program 30 stacks_check pool 2000
    assert_success
    assert_output "pool made=1025 kept=1024"
}

@test "exercise 11.2: stacks_check pool without a number gets the usage line" {
    run_program 10 stacks_check pool
    assert_failure 2
    [[ "$stderr" == usage:\ stacks_check* ]] || fail "$stderr"
}

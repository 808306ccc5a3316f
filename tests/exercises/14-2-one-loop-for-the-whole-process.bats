#!/usr/bin/env bats
# Exercise 14.2: One loop for the whole process.
# kind: break (running_loop becomes a plain static; exactly these three tests of Chapter 14 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 14.2: with one running_loop for every thread, the tests of loops and echo_server -j fail" {
    run chapter_tests_failing 14 14
    assert_output "14-one-loop-per-core.bats: loops: four loops on four threads at once, each task always itself; a task of another loop cannot be cancelled
14-one-loop-per-core.bats: echo_server -j 2 serves 2,000 clients at once, every byte back, on both loops
14-one-loop-per-core.bats: echo_server -j 1 keeps a port to itself; -j 2 shares its port only with its own loops"
}

#!/usr/bin/env bats
# Exercise 11.5: Always try first.
# kind: break (async_recv goes back to chapter 7's, which always tries recv first; exactly the echo server's recv count test of Chapter 11 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 11.5: with recv always tried first, the echo server's recv count fails, and no other test" {
    command -v strace >/dev/null || skip "strace is not installed"
    run chapter_tests_failing 11 11
    assert_output "11-stacks-for-many-tasks.bats: the echo server makes one recv per round trip and no fcntl per wait"
}

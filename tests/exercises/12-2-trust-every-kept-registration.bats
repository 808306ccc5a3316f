#!/usr/bin/env bats
# Exercise 12.2: Trust every kept registration.
# kind: break (epoll_must_tell trusts a kept registration even for a descriptor the loop did not adopt; exactly the poller_edges test of Chapter 12 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 12.2: with every kept registration trusted, the poller_edges test fails, and no other" {
    run chapter_tests_failing 12 12
    assert_output "12-beyond-select.bats: poller_edges: a reused number, a closed duplicate and a regular file, on every poller"
}

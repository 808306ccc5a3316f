#!/usr/bin/env bats
# Exercise 13.2: Forget without cancelling.
# kind: break (uring_poller_forget drops its bookkeeping and cancels nothing; exactly the completions test of Chapter 13 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 13.2: with nothing cancelled when a descriptor is forgotten, the completions test fails, and no other" {
    run chapter_tests_failing 13 13
    assert_output "13-completions.bats: completions: cancelling and closing under recv, accept and send keep the same rules on every poller"
}

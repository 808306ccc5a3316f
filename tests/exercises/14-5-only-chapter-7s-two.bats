#!/usr/bin/env bats
# Exercise 14.5: Only chapter 7's two.
# kind: break (accept_is_worth_retrying knows only ECONNABORTED and EINTR; exactly the transient-errors test of Chapter 14 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 14.5: with only ECONNABORTED and EINTR retried, the test of accept's transient errors fails" {
    run chapter_tests_failing 14 14
    assert_output "14-one-loop-per-core.bats: accept(2)'s transient errors (EPROTO, ENETDOWN, EHOSTUNREACH, ENONET) never stop the server"
}

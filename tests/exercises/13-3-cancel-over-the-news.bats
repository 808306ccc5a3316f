#!/usr/bin/env bats
# Exercise 13.3: Cancel over the news.
# kind: break (loop_has_news_for answers false, so a cancellation overwrites a completed recv's result; exactly the completions test of Chapter 13 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 13.3: with a cancellation overwriting a result, the completions test fails, and no other" {
    run chapter_tests_failing 13 13
    assert_output "13-completions.bats: completions: cancelling and closing under recv, accept and send keep the same rules on every poller"
}

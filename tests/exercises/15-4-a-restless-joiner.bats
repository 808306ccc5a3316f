#!/usr/bin/env bats
# Exercise 15.4: A restless joiner.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 15.4: restless_joiner counts every wake-up and every cancellation" {
    run_program 10 restless_joiner 3 5
    assert_success
    assert_output "3 joiners wait; the newest is cancelled 5 times and joins again each time
joiners woken with the result: 3; cancellations the newest saw: 5"
}

@test "exercise 15.4: cancelling the newest of 10,000 joiners costs no more than the newest of 1,000" {
    # restless_joiner says on standard error how long its rounds of cancellation took.
    # A walk to the cancelled joiner makes them take about ten times as long with 10,000
    # joiners as with 1,000 (5.9 s against 0.57, here); a removal in constant time
    # costs the same with any number of joiners.
    local small large
    run_program 60 restless_joiner 1000 300000
    assert_success
    assert_line "joiners woken with the result: 1000; cancellations the newest saw: 300000"
    small=$(sed -n 's/^the rounds took \([0-9]*\) ms$/\1/p' <<< "$stderr")
    run_program 60 restless_joiner 10000 300000
    assert_success
    assert_line "joiners woken with the result: 10000; cancellations the newest saw: 300000"
    large=$(sed -n 's/^the rounds took \([0-9]*\) ms$/\1/p' <<< "$stderr")
    [ -n "$small" ] && [ -n "$large" ] || fail "no line 'the rounds took N ms' on standard error"
    echo "rounds with 1,000 joiners: $small ms; with 10,000: $large ms" >&2
    (( large < 3 * small + 300 )) || fail "10,000 joiners: $large ms; 1,000: $small ms"
}

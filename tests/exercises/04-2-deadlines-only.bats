#!/usr/bin/env bats
# Exercise 4.2: Break the tie, predict the damage.
# kind: break (timer_before compares deadlines only; exactly the timer_check test of chapter 4 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 4.2: timer_check's test fails, and no other test of chapter 4 (chapters 1-3 have no timers)" {
    run chapter_tests_failing 4 4
    assert_output - <<'EOF2'
04-timers.bats: timer_check: FIFO among equal deadlines, sorted pops after removals, no sleeper early
EOF2
}

#!/usr/bin/env bats
# Exercise 10.1: Drop the floating-point control words.
# kind: break (switch_to keeps no MXCSR or x87 control word; exactly the rounding test and the exit status test of Chapter 10 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 10.1: without the control words, the rounding test and the exit status test fail, and no other" {
    run chapter_tests_failing 10 10
    assert_output - <<'EOF2'
10-switching-by-hand.bats: switch_check: each task keeps its own rounding mode across switches
10-switching-by-hand.bats: switch_check: five lines, exit status 0 when every check passes, nothing on standard error
EOF2
}

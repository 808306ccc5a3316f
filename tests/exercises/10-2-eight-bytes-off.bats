#!/usr/bin/env bats
# Exercise 10.2: Eight bytes off.
# kind: break (the first frame sits 8 bytes low: every test that runs switch_check fails, the bench_switch ones pass)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 10.2: with a misaligned first frame, every test that runs switch_check fails, and no other" {
    run chapter_tests_failing 10 10
    assert_output - <<'EOF2'
10-switching-by-hand.bats: switch_check: registers survive a hundred yields in two tasks at once
10-switching-by-hand.bats: switch_check: each task keeps its own rounding mode across switches
10-switching-by-hand.bats: switch_check: a new task's stack is aligned to 16 bytes
10-switching-by-hand.bats: switch_check: the hand-written switch shares the signal mask; ucontext keeps one per task
10-switching-by-hand.bats: switch_check: five lines, exit status 0 when every check passes, nothing on standard error
10-switching-by-hand.bats: switch_check: the switch is the one the machine gets, unless ucontext was asked for
10-switching-by-hand.bats: valgrind: switch_check and bench_switch make no invalid access and leak nothing
EOF2
}

#!/usr/bin/env bats
# Exercise 6.3: Do not start a cancelled task.
# kind: break (a task cancelled before it starts never runs; exactly the two chapter-6 tests that pin busy's lines must fail; chapters 1-2 have no loop, so only chapters 3-6 run)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 6.3: the transcript and the cancelled-before-it-starts tests of chapter 6 fail, and no other" {
    run chapter_tests_failing 6 3
    assert_output - <<'EOF2'
06-cancellation.bats: cancel_cases prints every case in order and exits with 0
06-cancellation.bats: a task cancelled before it starts runs until its first wait, which fails
EOF2
}

@test "exercise 6.3: busy, cancelled before it starts, prints nothing" {
    run_program 20 cancel_cases
    assert_success
    assert_line "cancel a task that has not run yet: ok"
    refute_line --partial "busy:"
    assert_before "cancel a task that has not run yet: ok" "cancel myself: ok"
}

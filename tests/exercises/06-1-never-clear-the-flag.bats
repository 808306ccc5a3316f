#!/usr/bin/env bats
# Exercise 6.1: Never clear the flag.
# kind: break (the flag is not cleared when a wait is cut short; exactly the two chapter-6 tests of a task that carries on must fail; chapters 1-2 have no loop, so only chapters 3-6 run)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 6.1: the transcript and the catch-and-carry-on tests of chapter 6 fail, and no other" {
    run chapter_tests_failing 6 3
    assert_output - <<'EOF2'
06-cancellation.bats: cancel_cases prints every case in order and exits with 0
06-cancellation.bats: a task may catch the cancellation: its next sleep returns ok
EOF2
}

#!/usr/bin/env bats
# Exercise 6.1: Never clear the flag.
# kind: break (the flag is not cleared when a wait is cut short; exactly the two chapter-6 tests of a task that carries on must fail)
load ../helpers
bats_require_minimum_version 1.5.0
# chapter_tests_failing runs all 51 tests of chapters 1-6, which takes a minute or two on a
# busy machine: more than the runner's default of 60 s per test.
BATS_TEST_TIMEOUT=900

@test "exercise 6.1: the transcript and the catch-and-carry-on tests of chapter 6 fail, and no other" {
    run chapter_tests_failing 6
    assert_output - <<'EOF2'
06-cancellation.bats: cancel_cases prints every case in order and exits with 0
06-cancellation.bats: a task may catch the cancellation: its next sleep returns ok
EOF2
}

#!/usr/bin/env bats
# Exercise 8.1: A fourth act for the timers.
# kind: break (the demo gains a timer act; exactly the chapter-8 transcript test must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 8.1: five equal sleeps print 1 to 5 in FIFO order, as a fourth act" {
    run_program 60 demo "$(free_port)"
    assert_success
    run sed -n '/^--- Timer Demo ---$/,$p' <<< "$output"
    assert_output - <<'EOF2'
--- Timer Demo ---
1
2
3
4
5
Timer demo finished

All demos completed successfully!
EOF2
}

@test "exercise 8.1: only the transcript test of chapter 8 fails, and no other" {
    run chapter_tests_failing 8 8
    assert_output - <<'EOF2'
08-putting-it-together.bats: demo prints the seed's transcript, with the book's two fixes, line for line
EOF2
}

#!/usr/bin/env bats
# Exercise 8.5: Waiting for the client, not for five seconds.
# kind: break (the demo is shorter by three seconds; exactly the chapter-8 timing test must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 8.5: only the timing test of chapter 8 fails, and no other" {
    run chapter_tests_failing 8 8
    assert_output - <<'EOF2'
08-putting-it-together.bats: the whole demo takes about 12 s: at least 11 s, under 30 s
EOF2
}

#!/usr/bin/env bats
# Exercise 6.2: A shield.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 6.2: a shielded sleep runs its full time; the cancellation comes after the last shield_end" {
    run_program 10 shield
    assert_success
    assert_output - <<'EOF2'
cancel the shielded task: ok
shielded sleep: ok, after the full 0.1 s
still shielded after one shield_end: ok
after the last shield_end: Operation canceled
and the sleep after that: ok
EOF2
}

@test "exercise 6.2: the delivered cancellation cuts the one-second sleep short" {
    local start elapsed
    start=$(now_ms)
    run_program 10 shield
    elapsed=$(( $(now_ms) - start ))
    assert_success
    (( elapsed < 900 )) || fail "shield took ${elapsed} ms: the sleep after shield_end should return at once"
}

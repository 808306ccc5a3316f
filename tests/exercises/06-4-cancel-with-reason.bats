#!/usr/bin/env bats
# Exercise 6.4: Cancel with a reason.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 6.4: cancel_reason: each cancelled wait returns the reason it was given" {
    run_program 20 cancel_reason
    assert_success
    assert_output - <<'EOF2'
timed out: cancel_with ok
timed out: sleep returned Connection timed out
twice: cancel_with ok, then ok
twice: sleep returned Connection timed out
plain: cancel ok
plain: sleep returned Operation canceled
busy: cancel_with ok
busy: its first wait returned Connection reset by peer
cancel_with myself: ok
my next sleep returns Interrupted system call
cancel_with reason 0: Invalid argument
cancel_with NULL: Invalid argument
EOF2
}

@test "exercise 6.4: the cancelled sleepers leave the heap: cancel_reason ends well under 5 s" {
    local start elapsed
    start=$(now_ms)
    run_program 20 cancel_reason
    elapsed=$(( $(now_ms) - start ))
    assert_success
    (( elapsed < 5000 )) || fail "cancel_reason took ${elapsed} ms"
}

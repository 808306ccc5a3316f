#!/usr/bin/env bats
# Exercise 6.5: Cancel a task that holds descriptors, and a timeout.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 6.5: cancel_read: the read is cancelled, both ends are closed, no descriptor is left open" {
    local start elapsed
    start=$(now_ms)
    run_program 10 cancel_read
    elapsed=$(( $(now_ms) - start ))
    assert_success
    assert_output - <<'EOF2'
cancel: ok
read returned Operation canceled
closed both ends
open descriptors after: as many as before
EOF2
    (( elapsed >= 90 )) || fail "cancel_read took ${elapsed} ms; it cancels after 100 ms"
}

@test "exercise 6.5: with_timeout: in time, timed out, and a pending cancellation passed on" {
    local start elapsed
    start=$(now_ms)
    run_program 20 with_timeout
    elapsed=$(( $(now_ms) - start ))
    assert_success
    assert_output - <<'EOF2'
0.05 s under 0.3 s: ok, its sleep returned ok
a 0.5 s sleep after it: ok
10 s under 0.1 s: Connection timed out, its sleep returned Operation canceled
a cancellation while fn was not waiting: ok
the next sleep returns Operation canceled
EOF2
    (( elapsed >= 600 )) || fail "with_timeout took ${elapsed} ms; its sleeps add up to 0.65 s"
    (( elapsed < 5000 )) || fail "with_timeout took ${elapsed} ms: a watchdog outlived its with_timeout"
}

@test "exercise 6.5: no task is leaked and no freed memory is touched (valgrind)" {
    run_under_valgrind 60 with_timeout
    assert_success
    assert_line "the next sleep returns Operation canceled"
}

#!/usr/bin/env bats
# Exercise 5.4: A timeout for a wait.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 5.4: fd_timeout times out on an idle pipe, wakes on a byte, and leaves no timer behind" {
    run_program 10 fd_timeout
    assert_success
    assert_output - <<'EOF2'
negative seconds: Invalid argument
idle pipe: Connection timed out
idle pipe: waited at least 50 ms: yes
byte after 10 ms: ok
byte after 10 ms: the loop ended at once: yes
EOF2
}

@test "exercise 5.4: fd_timeout runs clean under valgrind" {
    run_under_valgrind 30 fd_timeout
    assert_success
}

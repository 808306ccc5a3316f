#!/usr/bin/env bats
# Exercise 5.2: Counting the cost of select.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 5.2: idle_watchers wakes its 500 idle watchers after 100 sleeps and exits 0" {
    local start=$(now_ms)
    run_program 20 idle_watchers
    local took=$(( $(now_ms) - start ))
    assert_success
    assert_output "idle_watchers: 500 watchers woken after 100 sleeps of 1 ms"
    (( took >= 100 )) || fail "a hundred sleeps of 1 ms took only $took ms"
}

@test "exercise 5.2: idle_watchers 0 runs the sleeps alone" {
    run_program 20 idle_watchers 0
    assert_success
    assert_output "idle_watchers: 0 watchers woken after 100 sleeps of 1 ms"
}

@test "exercise 5.2: idle_watchers refuses a count it cannot watch (status 2)" {
    run_program 10 idle_watchers 501
    assert_failure 2
    assert_output ""
}

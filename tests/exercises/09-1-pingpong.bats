#!/usr/bin/env bats
# Exercise 9.1: A ping-pong without TCP.
# kind: code
load ../helpers

@test "exercise 9.1: bench_pingpong prints one pingpong line for the rounds it was given" {
    run_program 10 bench_pingpong 2000
    assert_success
    assert_equal "${#lines[@]}" 1
    [[ "${lines[0]}" =~ ^pingpong\ rounds=2000\ ns_per_round_trip=[0-9]+\.[0-9]\ cpu_ns_per_round_trip=[0-9]+\.[0-9]$ ]] \
        || fail "not a well-formed line: $output"
    assert_equal "$stderr" ""
}

@test "exercise 9.1: a round trip costs more than nothing, and the run ends by itself" {
    # 20,000 round trips in a loop that never ends would be killed by the timeout (124)
    run_program 20 bench_pingpong 20000
    assert_success
    local ns
    ns=$(sed -E 's/.*ns_per_round_trip=([0-9]+).*/\1/' <<< "$output")
    (( ns > 0 )) || fail "a round trip took no time at all: $output"
}

@test "exercise 9.1: bad arguments get the usage line and status 2" {
    refuses_with_usage bench_pingpong "usage: bench_pingpong ROUNDS" "" "0" "-1" "many" "10 10"
}

#!/usr/bin/env bats
# Exercise 4.1: Sleep until a deadline.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

# check_ticks COUNT FIRST_DUE GAP LAST_MAX: $lines holds exactly COUNT lines
# "tick K at T ms", K = 1..COUNT, none before it was due (FIRST_DUE + (K-1) * GAP ms),
# and the last no later than LAST_MAX ms.
check_ticks() {
    local count=$1 first=$2 gap=$3 last_max=$4 k ms
    assert_equal "${#lines[@]}" "$count"
    for (( k = 1; k <= count; k++ )); do
        [[ "${lines[k - 1]}" =~ ^tick\ $k\ at\ ([0-9]+)\ ms$ ]] ||
            fail "line $k is '${lines[k - 1]}', not 'tick $k at T ms'"
        ms=${BASH_REMATCH[1]}
        (( ms >= first + (k - 1) * gap )) || fail "tick $k at $ms ms: early"
    done
    (( ms <= last_max )) || fail "the last tick came at $ms ms, after $last_max ms: the ticks drift"
}

@test "exercise 4.1: tick 20 ticks every 100 ms, the last after 2.0 s and not much later" {
    run_program 20 tick 20
    assert_success
    printf '%s\n' "${lines[@]}"
    check_ticks 20 100 100 2600
}

@test "exercise 4.1: with 50 ms of work after each tick, the ticks still do not drift" {
    # A ticker that sleeps 100 ms after its work would print its last tick after 2.95 s.
    run_program 20 tick 20 50
    assert_success
    printf '%s\n' "${lines[@]}"
    check_ticks 20 100 100 2600
}

@test "exercise 4.1: a deadline already past returns at once: 300 ms of work per tick, no sleep in between" {
    # Ticks due at 100, 200, ...; each takes 300 ms, so from the second tick on every
    # deadline has passed: ticks at 100, 400, 700, ..., 1600 ms. Sleeping 100 ms more
    # after each would put the sixth at 2100 ms.
    run_program 20 tick 6 300
    assert_success
    printf '%s\n' "${lines[@]}"
    check_ticks 6 100 300 1900
}

@test "exercise 4.1: tick refuses bad arguments with status 2" {
    run_program 5 tick many
    assert_equal "$status" 2
    run_program 5 tick 3 -1
    assert_equal "$status" 2
}

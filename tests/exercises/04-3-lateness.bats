#!/usr/bin/env bats
# Exercise 4.3: Explain the lateness.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 4.3: timer_check keeps its three lines and reports every thousandth sleeper and the median on stderr" {
    run_program 30 timer_check
    echo "$stderr"
    assert_success
    assert_output "$(printf '%s\n' \
        "heap: 10000 equal deadlines popped in FIFO order" \
        "heap: random deadlines with removals popped in order" \
        "loop: 10000 of 10000 sleepers woke, in FIFO order, 0 early")"
    local report latest number ms
    mapfile -t report <<< "$stderr"
    [[ "${report[0]}" =~ ^loop:\ the\ latest\ woke\ ([0-9]+\.[0-9])\ ms\ late$ ]] ||
        fail "the first line of stderr is '${report[0]}'"
    latest=${BASH_REMATCH[1]/./}
    assert_equal "${#report[@]}" 12
    for number in 0 1 2 3 4 5 6 7 8 9; do
        [[ "${report[number + 1]}" =~ ^loop:\ sleeper\ $((number * 1000))\ woke\ ([0-9]+\.[0-9])\ ms\ late$ ]] ||
            fail "line $((number + 2)) of stderr is '${report[number + 1]}'"
        ms=${BASH_REMATCH[1]/./}
        (( 10#$ms <= 10#$latest )) || fail "sleeper $((number * 1000)) was later than the latest"
    done
    [[ "${report[11]}" =~ ^loop:\ the\ median\ sleeper\ woke\ ([0-9]+\.[0-9])\ ms\ late$ ]] ||
        fail "the last line of stderr is '${report[11]}'"
    ms=${BASH_REMATCH[1]/./}
    (( 10#$ms <= 10#$latest )) || fail "the median was later than the latest"
}

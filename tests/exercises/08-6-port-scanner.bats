#!/usr/bin/env bats
# Exercise 8.6: A port scanner, ported.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

teardown() {
    stop_server
}

@test "exercise 8.6: ported reports the listening port open and the others closed, in order" {
    start_server echo_server -q 127.0.0.1 0
    local closed1 closed2
    closed1=$(free_port)
    closed2=$(free_port)
    run_program 10 ported "$closed1" "$SERVER_PORT" "$closed2"
    assert_success
    assert_equal "$stderr" ""
    assert_output - <<EOF2
$closed1 closed
$SERVER_PORT open
$closed2 closed
EOF2
}

@test "exercise 8.6: twenty ports at once, one of them open" {
    start_server echo_server -q 127.0.0.1 0
    local ports=() expected=() port i
    for i in $(seq 19); do
        port=$(free_port)
        ports+=("$port")
        expected+=("$port closed")
    done
    ports+=("$SERVER_PORT")
    expected+=("$SERVER_PORT open")
    run_program 10 ported "${ports[@]}"
    assert_success
    assert_equal "$output" "$(printf '%s\n' "${expected[@]}")"
}

@test "exercise 8.6: ported without ports, or with a bad one, gets a usage line and status 2" {
    local args
    for args in "" "abc" "0" "65536" "80 x"; do
        # shellcheck disable=SC2086
        run_program 5 ported $args
        assert_failure 2
        [[ "$stderr" == *"usage: ported PORT..."* ]] || fail "ported $args: $stderr"
    done
}

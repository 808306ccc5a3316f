#!/usr/bin/env bats
# Exercise 7.5: Measure.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

teardown() {
    stop_server
}

@test "exercise 7.5: echo_load --throughput prints one well-formed line and succeeds" {
    require_program echo_load
    start_server echo_server -q 127.0.0.1 0
    run_program 30 echo_load --throughput 4 262144 1024 127.0.0.1 "$SERVER_PORT"
    assert_success
    assert_output --regexp '^4 clients x 262144 bytes in 1024-byte chunks: [0-9]+\.[0-9]{3} s, [0-9]+\.[0-9] MB/s, 0 failed$'
}

@test "exercise 7.5: a total that is not a multiple of the chunk still comes back whole" {
    require_program echo_load
    start_server echo_server -q 127.0.0.1 0
    run_program 30 echo_load --throughput 1 100001 65536 127.0.0.1 "$SERVER_PORT"
    assert_success
    assert_output --regexp '^1 clients x 100001 bytes in 65536-byte chunks: [0-9]+\.[0-9]{3} s, [0-9]+\.[0-9] MB/s, 0 failed$'
}

@test "exercise 7.5: no server: the line says the client failed, status 1" {
    require_program echo_load
    start_server echo_server -q 127.0.0.1 0
    local port=$SERVER_PORT
    stop_server
    run_program 10 echo_load --throughput 2 1000 100 127.0.0.1 "$port"
    assert_failure 1
    assert_output --regexp '^2 clients x 1000 bytes in 100-byte chunks: [0-9]+\.[0-9]{3} s, [0-9]+\.[0-9] MB/s, 2 failed$'
}

@test "exercise 7.5: bad throughput arguments get the usage line and status 2" {
    local args
    for args in "--throughput 0 1000 100 127.0.0.1 7" "--throughput 1 1000 0 127.0.0.1 7" \
                "--throughput 1 1000 65537 127.0.0.1 7" "--throughput 1 x 100 127.0.0.1 7" \
                "--throughput 1 1000 100 127.0.0.1 port"; do
        # shellcheck disable=SC2086
        run_program 5 echo_load $args
        assert_failure 2
        [[ "$stderr" == *"usage: echo_load"* ]] || fail "echo_load $args: $stderr"
    done
}

#!/usr/bin/env bats
# Exercise 14.1: Pin each loop to a core.
# kind: code
load ../helpers

teardown() {
    stop_server
}

# cpus_of PID: the Cpus_allowed_list of each thread of PID, one per line
cpus_of() {
    local task
    for task in /proc/"$1"/task/*; do
        sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$task/status"
    done
}

@test "exercise 14.1: echo_server -a -j 2 runs each loop's thread on a CPU of its own" {
    (( $(nproc) >= 2 )) || skip "this machine lets the tests use $(nproc) CPU"
    start_server echo_server -q -a -j 2 127.0.0.1 0
    ASYNC_POLLER=epoll run_program 30 echo_load 127.0.0.1 "$SERVER_PORT" 20 5
    assert_success
    local cpus
    cpus=$(cpus_of "$SERVER_PID")
    assert_equal "$(printf '%s\n' "$cpus" | wc -l)" 2
    printf '%s\n' "$cpus" | grep -qvE '^[0-9]+$' && fail "a thread may run on several CPUs: $cpus"
    assert_equal "$(printf '%s\n' "$cpus" | sort -u | wc -l)" 2
}

@test "exercise 14.1: without -a, the loops' threads may run anywhere, as before" {
    start_server echo_server -q -j 2 127.0.0.1 0
    local all
    all=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
    assert_equal "$(cpus_of "$SERVER_PID" | sort -u)" "$all"
}

@test "exercise 14.1: the usage line names -a, and -a with one loop serves as before" {
    refuses_with_usage echo_server "usage: echo_server \[-q\] \[-a\] \[-j LOOPS\]*" "-j 0" "-x"
    start_server echo_server -a 127.0.0.1 0
    ASYNC_POLLER=epoll run_program 30 echo_load 127.0.0.1 "$SERVER_PORT" 5 5
    assert_success
}

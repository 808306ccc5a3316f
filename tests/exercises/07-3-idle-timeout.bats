#!/usr/bin/env bats
# Exercise 7.3: An idle timeout.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

teardown() {
    stop_server
}

open_fds() {
    ls "/proc/$1/fd" | wc -l
}

@test "exercise 7.3: a silent client sees end of file after the -t timeout, and no fd is left" {
    start_server echo_server -q -t 1 127.0.0.1 0
    sleep 0.2
    local before after fd start elapsed reply
    before=$(open_fds "$SERVER_PID")
    start=$(now_ms)
    exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
    if read -r -t 6 -u "$fd" reply; then
        fail "the server said '$reply' to a silent client"
    fi
    elapsed=$(( $(now_ms) - start ))
    exec {fd}>&-
    (( elapsed >= 800 )) || fail "the connection ended after $elapsed ms, before the timeout"
    (( elapsed < 6000 )) || fail "the connection was not closed within 6 s"
    sleep 0.2
    after=$(open_fds "$SERVER_PID")
    [ "$after" -eq "$before" ] || fail "$before fds open before the client, $after after"
}

@test "exercise 7.3: a client that keeps talking is never cut off" {
    start_server echo_server -q -t 1 127.0.0.1 0
    local fd i reply
    exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
    for i in 1 2 3 4 5 6 7; do
        echo "tick $i" >&"$fd"
        read -r -t 3 -u "$fd" reply || fail "no echo for tick $i"
        [ "$reply" = "tick $i" ] || fail "tick $i echoed as '$reply'"
        sleep 0.3
    done
    exec {fd}>&-
}

@test "exercise 7.3: a bad -t gets the usage line and status 2" {
    local args
    for args in "-t 0" "-t abc" "-t"; do
        # shellcheck disable=SC2086
        run_program 5 echo_server $args
        assert_failure 2
        [[ "$stderr" == *"usage: echo_server"* ]] || fail "echo_server $args: $stderr"
    done
}

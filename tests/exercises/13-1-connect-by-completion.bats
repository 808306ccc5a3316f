#!/usr/bin/env bats
# Exercise 13.1: Connect by completion.
# kind: code
load ../helpers

teardown() {
    stop_server
}

# talk_traced POLLER MESSAGE: echo_client sends MESSAGE to an echo_server (on epoll),
# itself on POLLER and under strace; its result in $output, its connect calls in $CONNECTS
talk_traced() {
    command -v strace >/dev/null || skip "strace is not installed"
    emulated echo_client && skip "strace would trace the emulator"
    require_program echo_client
    ASYNC_POLLER=epoll start_server echo_server 127.0.0.1 0
    local log="$BATS_TEST_TMPDIR/strace.log"
    ASYNC_POLLER=$1 run timeout 10 strace -f -qq -c -o "$log" -e trace=connect \
        "$BIN/echo_client" 127.0.0.1 "$SERVER_PORT" "$2"
    CONNECTS=$(awk '$NF == "connect" { n = $4 } END { print n + 0 }' "$log")
}

@test "exercise 13.1: on io_uring, echo_client is echoed without making a connect system call" {
    talk_traced io_uring "by completion"
    assert_success
    assert_output "Client connecting to 127.0.0.1:$SERVER_PORT
Client sending: by completion
Client received: by completion
Client finished sending messages"
    assert_equal "$CONNECTS" 0
}

@test "exercise 13.1: on epoll, echo_client still connects with connect()" {
    talk_traced epoll "when writable"
    assert_success
    assert_line "Client received: when writable"
    (( CONNECTS >= 1 )) || fail "no connect call on epoll"
}

@test "exercise 13.1: on io_uring, a refused connection is still Connection refused" {
    local port
    port=$(free_port)
    ASYNC_POLLER=io_uring run_program 10 echo_client 127.0.0.1 "$port" hello
    assert_failure 1
    assert_output "Client connecting to 127.0.0.1:$port
Client error: Connection refused"
}

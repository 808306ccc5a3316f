#!/usr/bin/env bats
# Exercise 7.2: Atomic flags.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

TRACED_PID=

# Killing strace would only detach it; kill the server it traces, and strace ends too.
teardown() {
    if [ -n "$TRACED_PID" ]; then
        local server
        for server in $(ps -o pid= --ppid "$TRACED_PID"); do
            kill "$server" 2>/dev/null || true
        done
        timeout 5 tail --pid="$TRACED_PID" -f /dev/null || kill "$TRACED_PID" 2>/dev/null || true
        wait "$TRACED_PID" 2>/dev/null || true
    fi
}

# trace_server_and_client: run echo_server under strace, let echo_client talk to it,
# stop the server; the system calls of both are in $TRACE (strace -f, one file).
trace_server_and_client() {
    require_program echo_server
    require_program echo_client
    command -v strace >/dev/null || fail "strace is not installed"
    TRACE="$BATS_TEST_TMPDIR/trace"
    local out="$BATS_TEST_TMPDIR/server.out" port= i
    strace -f -o "$TRACE" -e trace=fcntl,socket,accept,accept4 \
        "$BIN/echo_server" 127.0.0.1 0 > "$out" 2>&1 3>&- &
    TRACED_PID=$!
    for i in $(seq 200); do
        port=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\)$/\1/p' "$out")
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || fail "the server did not say where it listens: $(cat "$out")"
    strace -f -o "$TRACE.client" -e trace=fcntl,socket \
        "$BIN/echo_client" 127.0.0.1 "$port" "atomic" > "$BATS_TEST_TMPDIR/client.out"
    grep -qx "Client received: atomic" "$BATS_TEST_TMPDIR/client.out" \
        || fail "the client got no echo: $(cat "$BATS_TEST_TMPDIR/client.out")"
    for i in $(seq 100); do
        grep -q '^Connection closed from ' "$out" && break
        sleep 0.05
    done
    cat "$TRACE.client" >> "$TRACE"
}

@test "exercise 7.2: sockets are born non-blocking and close-on-exec, and accepted with accept4" {
    trace_server_and_client
    run grep -E 'socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC\|SOCK_NONBLOCK' "$TRACE"
    (( ${#lines[@]} >= 2 )) || fail "expected the listener's and the client's socket() with both flags: $(cat "$TRACE")"
    run grep -E 'accept4\(.*SOCK_CLOEXEC\|SOCK_NONBLOCK\) = [0-9]+' "$TRACE"
    assert_success
}

@test "exercise 7.2: no fcntl F_SETFL or F_SETFD on any socket" {
    trace_server_and_client
    # the descriptors that socket() and accept4()/accept() returned
    local fds fd
    fds=$(sed -n -E 's/^[0-9]+ +(socket|accept4?)\(.*\) = ([0-9]+)$/\2/p' "$TRACE" | sort -u)
    [ -n "$fds" ] || fail "no socket or accept in the trace: $(cat "$TRACE")"
    for fd in $fds; do
        run grep -E "fcntl\($fd, F_SET(FL|FD)" "$TRACE"
        assert_failure
    done
}

#!/usr/bin/env bats
# Exercise 7.4: Stop on Ctrl-C.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

teardown() {
    stop_server
}

# wait_for_server_line TEXT: wait up to 5 s for a line TEXT in the server's output.
wait_for_server_line() {
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )); do
        grep -qxF -- "$1" "$SERVER_OUT" && return 0
        sleep 0.05
    done
    fail "no line '$1' in the server's output: $(cat "$SERVER_OUT" "$SERVER_ERR")"
}

@test "exercise 7.4: SIGINT stops accepting, the connected client is still served, exit 0" {
    start_server echo_server 127.0.0.1 0
    local fd reply status i
    exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
    echo "before" >&"$fd"
    read -r -t 5 -u "$fd" reply || fail "no echo before the signal"
    [ "$reply" = before ]
    kill -INT "$SERVER_PID"
    wait_for_server_line "Server stopping: no new connections"
    # no longer accepting: a new connection is refused
    if (exec 3<>"/dev/tcp/127.0.0.1/$SERVER_PORT") 2>/dev/null; then
        fail "the server still accepts connections after SIGINT"
    fi
    # but the client connected at that moment still gets its echo
    kill -0 "$SERVER_PID" || fail "the server exited while a client was still connected"
    echo "after" >&"$fd"
    read -r -t 5 -u "$fd" reply || fail "no echo after the signal"
    [ "$reply" = after ] || fail "echoed '$reply'"
    exec {fd}>&-
    for i in $(seq 100); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    status=0
    wait "$SERVER_PID" || status=$?
    SERVER_PID=
    [ "$status" -eq 0 ] || fail "the server exited with status $status: $(cat "$SERVER_ERR")"
}

@test "exercise 7.4: SIGINT with no client connected: the server exits 0 at once" {
    start_server echo_server -q 127.0.0.1 0
    local status=0 i
    kill -INT "$SERVER_PID"
    for i in $(seq 100); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$SERVER_PID" 2>/dev/null && fail "the server is still running 5 s after SIGINT"
    wait "$SERVER_PID" || status=$?
    SERVER_PID=
    [ "$status" -eq 0 ] || fail "the server exited with status $status"
}

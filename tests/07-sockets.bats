#!/usr/bin/env bats
# Chapter 7, Sockets: the echo server and client, a hundred clients, an 8 MiB message,
# a peer that vanishes, running out of descriptors, and cancelling tasks that hold sockets.

load helpers

teardown() {
    stop_server
}

# wait_for_line FILE TEXT [SECONDS]: wait until FILE holds a line equal to TEXT.
wait_for_line() {
    local file=$1 text=$2 deadline=$(( SECONDS + ${3:-5} ))
    while (( SECONDS < deadline )); do
        grep -qxF -- "$text" "$file" && return 0
        sleep 0.05
    done
    echo "no line '$text' in $file:" >&2
    cat "$file" >&2
    return 1
}

@test "echo_client and echo_server: the seed's exchange, line for line" {
    require_program echo_client
    start_server echo_server 127.0.0.1 0
    run_program 10 echo_client 127.0.0.1 "$SERVER_PORT" \
        "Hello from the client!" "This is a test message" "Goodbye!"
    assert_success
    assert_output "Client connecting to 127.0.0.1:$SERVER_PORT
Client sending: Hello from the client!
Client received: Hello from the client!
Client sending: This is a test message
Client received: This is a test message
Client sending: Goodbye!
Client received: Goodbye!
Client finished sending messages"
    # The server's side: listening first (seed #5 is fixed), then one connection.
    local peer
    peer=$(sed -n 's/^New connection from \(.*\)$/\1/p' "$SERVER_OUT")
    [ -n "$peer" ] || fail "the server never reported the connection: $(cat "$SERVER_OUT")"
    wait_for_line "$SERVER_OUT" "Connection closed from $peer"
    run cat "$SERVER_OUT"
    assert_output "Server listening on 127.0.0.1:$SERVER_PORT
New connection from $peer
Received from $peer: Hello from the client!
Received from $peer: This is a test message
Received from $peer: Goodbye!
Connection closed from $peer"
}

@test "100 concurrent clients x 1,000 messages: every byte comes back" {
    require_program echo_load
    start_server echo_server -q 127.0.0.1 0
    run_program 30 echo_load 127.0.0.1 "$SERVER_PORT" 100 1000
    assert_success
    assert_output "100 clients x 1000 messages: 100 clients got every byte back, 0 failed"
}

@test "one 8 MiB message is echoed byte for byte across partial writes" {
    require_program echo_load
    start_server echo_server -q 127.0.0.1 0
    run_program 30 echo_load --big 8388608 127.0.0.1 "$SERVER_PORT"
    assert_success
    assert_output "8388608 bytes echoed: identical"
}

@test "a client that vanishes mid-stream does not kill the server (no SIGPIPE)" {
    require_program echo_client
    start_server echo_server -q 127.0.0.1 0
    # 1. Send a lot and never read the echo: the writer is killed while the server is busy
    #    sending back, so the client's kernel answers with a reset.
    timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SERVER_PORT; head -c 4000000 /dev/zero >&3" \
        2>/dev/null || true
    # 2. Freeze the server, connect, send, close: by the time the server runs again the
    #    client is gone, so its echo meets a closed socket and the next send gets EPIPE.
    #    Without MSG_NOSIGNAL that send raises SIGPIPE and the process dies.
    local fd
    kill -STOP "$SERVER_PID"
    exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
    head -c 100000 /dev/zero >&"$fd" || true
    exec {fd}>&-
    kill -CONT "$SERVER_PID"
    sleep 0.3
    kill -0 "$SERVER_PID" || fail "the server died: $(cat "$SERVER_OUT" "$SERVER_ERR")"
    run_program 10 echo_client 127.0.0.1 "$SERVER_PORT" "still there?"
    assert_success
    assert_line "Client received: still there?"
    kill -0 "$SERVER_PID" || fail "the server died: $(cat "$SERVER_OUT" "$SERVER_ERR")"
}

@test "out of descriptors (EMFILE): the server does not spin, refuses the excess, recovers" {
    require_program echo_client
    start_server echo_server -q -n 16 127.0.0.1 0
    local fds=() fd i
    for i in $(seq 20); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT"
        fds+=("$fd")
    done
    # An idle server uses no CPU at all; one that spins on the readable listener burns
    # about 100 ticks a second, 200 in these two seconds. 50 leaves wide slack both ways.
    local before after
    before=$(cpu_ticks "$SERVER_PID")
    sleep 2
    after=$(cpu_ticks "$SERVER_PID")
    (( after - before < 50 )) || fail "the server spun: $(( after - before )) ticks in 2 s"
    # Every connection is either served (it echoes) or was closed by the server (EOF).
    local served=0 refused=0 reply
    for fd in "${fds[@]}"; do
        if read -r -t 0 -u "$fd"; then
            if read -r -t 2 -u "$fd" reply; then
                fail "a refused connection said '$reply'"
            fi
            refused=$(( refused + 1 ))
        else
            echo ping >&"$fd"
            read -r -t 2 -u "$fd" reply || fail "connection on fd $fd hangs"
            [ "$reply" = ping ] || fail "connection on fd $fd echoed '$reply'"
            served=$(( served + 1 ))
        fi
    done
    echo "served $served, refused $refused" >&2
    (( served >= 1 && refused >= 1 && served + refused == 20 ))
    for fd in "${fds[@]}"; do
        exec {fd}>&-
    done
    run_program 10 echo_client 127.0.0.1 "$SERVER_PORT" "served again"
    assert_success
    assert_line "Client received: served again"
}

@test "cancelling tasks that wait in sleep, recv and accept closes every fd they held" {
    require_program cancel_cleanup
    run_program 10 cancel_cleanup
    assert_success
    assert_output "while they wait: 5 more fds open
sleeper: woke with Operation canceled, cleans up
receiver: woke with Operation canceled, cleans up
acceptor: woke with Operation canceled, cleans up
task 1 done: yes
task 2 done: yes
task 3 done: yes
after cancelling: 0 more fds open"
}

@test "connecting to a closed port is refused; a bad host name is a clear error" {
    require_program echo_client
    start_server echo_server -q 127.0.0.1 0
    local port=$SERVER_PORT
    stop_server
    run_program 10 echo_client 127.0.0.1 "$port" hello
    assert_output "Client connecting to 127.0.0.1:$port
Client error: Connection refused"
    run_program 20 echo_client no-such-host.invalid 7 hello
    assert_output "Client connecting to no-such-host.invalid:7
Client error: No route to host"
}

@test "async_close wakes a task waiting on the socket before its number can be reused" {
    require_program close_reuse
    run_program 10 close_reuse
    assert_success
    assert_output "closer: closed the waiter's socket; a new one got the same number: yes
waiter: woke with Bad file descriptor"
}

@test "bad arguments get the usage line and status 2, never a run on port 0" {
    local args
    for args in "127.0.0.1 99999" "127.0.0.1 port" "-n abc" "-n 0" "127.0.0.1 0 extra"; do
        # shellcheck disable=SC2086
        run_program 5 echo_server $args
        assert_failure 2
        [[ "$stderr" == *"usage: echo_server"* ]] || fail "echo_server $args: $stderr"
    done
    for args in "127.0.0.1 0 hi" "127.0.0.1 notaport hi" "127.0.0.1 7"; do
        # shellcheck disable=SC2086
        run_program 5 echo_client $args
        assert_failure 2
        [[ "$stderr" == *"usage: echo_client"* ]] || fail "echo_client $args: $stderr"
    done
    for args in "127.0.0.1 7 x 10" "127.0.0.1 7 0 10" "127.0.0.1 7 10 -1" \
                "--big 0 127.0.0.1 7" "--big 10 127.0.0.1 port"; do
        # shellcheck disable=SC2086
        run_program 5 echo_load $args
        assert_failure 2
        [[ "$stderr" == *"usage: echo_load"* ]] || fail "echo_load $args: $stderr"
    done
}

@test "a server that cannot listen says why and exits with status 1" {
    start_server echo_server -q 127.0.0.1 0
    run_program 5 echo_server 127.0.0.1 "$SERVER_PORT"
    assert_failure 1
    [[ "$stderr" == *"Server error: Address already in use"* ]] || fail "stderr: $stderr"
}

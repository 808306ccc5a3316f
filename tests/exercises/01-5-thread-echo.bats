#!/usr/bin/env bats
# Exercise 1.5: A thread per client.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

# thread_echo [HOST [PORT]] is blocking_echo with a thread per client: the same lines
# ("Server listening on HOST:PORT", "New connection from ADDRESS:PORT", "Connection
# closed") and the same echo, but every connected client is served at once, by one
# process.

setup() {
    require_program thread_echo
    start_server thread_echo 127.0.0.1 0
    clients=()
}

teardown() {
    local fd
    for fd in "${clients[@]}"; do exec {fd}>&-; done
    stop_server
}

# connect: open a TCP connection to the server; its descriptor is appended to $clients.
connect() {
    local fd
    exec {fd}<>"/dev/tcp/127.0.0.1/$SERVER_PORT" || fail "cannot connect to 127.0.0.1:$SERVER_PORT"
    clients+=("$fd")
}

# echo_on FD TEXT: send a line on FD and insist that it comes back within 5 s.
echo_on() {
    local line
    printf '%s\n' "$2" >&"$1"
    read -r -t 5 -u "$1" line || fail "no echo of '$2' within 5 s"
    assert_equal "$line" "$2"
}

# hang_up_all: close every client's connection.
hang_up_all() {
    local fd
    for fd in "${clients[@]}"; do exec {fd}>&-; done
    clients=()
}

# wait_for_lines COUNT TEXT: wait up to 5 s until the server printed COUNT lines TEXT.
wait_for_lines() {
    for _ in $(seq 50); do
        [ "$(grep -c "^$2\$" "$SERVER_OUT")" -ge "$1" ] && return 0
        sleep 0.1
    done
    fail "the server did not print $1 lines '$2': $(cat "$SERVER_OUT")"
}

# children_of PID: "PID STATE" for every child process of PID (Z is a zombie), from /proc.
children_of() {
    local file line state ppid
    for file in /proc/[0-9]*/stat; do
        read -r line 2>/dev/null < "$file" || continue
        read -r state ppid _ <<< "${line##*) }"
        [ "$ppid" = "$1" ] && echo "${file//[^0-9]/} $state"
    done
    return 0
}

# sockets_of PID: how many sockets the process PID has open.
sockets_of() {
    local count=0 fd
    for fd in /proc/"$1"/fd/*; do
        [[ "$(readlink "$fd")" == socket:* ]] && count=$((count + 1))
    done
    echo "$count"
}


# threads_of PID: how many threads the process PID has.
threads_of() {
    sed -n 's/^Threads:[[:space:]]*//p' "/proc/$1/status"
}

@test "exercise 1.5: thread_echo serves ten clients at once, each on a thread of its own" {
    local i
    for i in $(seq 10); do connect; echo_on "${clients[-1]}" "client $i"; done
    for i in 9 5 0; do echo_on "${clients[i]}" "client $((i + 1)) again"; done
    run threads_of "$SERVER_PID"
    assert_output 11
    run children_of "$SERVER_PID"
    assert_output ""
    hang_up_all
    wait_for_lines 10 "Connection closed"
    run cat "$SERVER_OUT"
    assert_line --index 0 "Server listening on 127.0.0.1:$SERVER_PORT"
    run grep -c '^New connection from 127\.0\.0\.1:[0-9][0-9]*$' "$SERVER_OUT"
    assert_output 10
}

@test "exercise 1.5: thread_echo echoes 200 KiB of arbitrary bytes back exactly" {
    head -c 204800 /dev/urandom > "$BATS_TEST_TMPDIR/sent"
    connect
    cat "$BATS_TEST_TMPDIR/sent" >&"${clients[0]}" &
    local writer=$!
    timeout 10 head -c 204800 <&"${clients[0]}" > "$BATS_TEST_TMPDIR/received"
    wait "$writer"
    cmp "$BATS_TEST_TMPDIR/sent" "$BATS_TEST_TMPDIR/received"
}

@test "exercise 1.5: a client's thread ends when the client leaves" {
    local i
    for i in 1 2 3; do connect; echo_on "${clients[-1]}" "client $i"; done
    run threads_of "$SERVER_PID"
    assert_output 4
    hang_up_all
    wait_for_lines 3 "Connection closed"
    for _ in $(seq 50); do
        [ "$(threads_of "$SERVER_PID")" = 1 ] && break
        sleep 0.1
    done
    run threads_of "$SERVER_PID"
    assert_output 1
}

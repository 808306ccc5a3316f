#!/usr/bin/env bats
# Exercise 1.4: A process per client.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

# fork_echo [HOST [PORT]] is blocking_echo with a child process per client: the same
# lines ("Server listening on HOST:PORT", "New connection from ADDRESS:PORT", "Connection
# closed") and the same echo, but every connected client is served at once.

setup() {
    require_program fork_echo
    start_server fork_echo 127.0.0.1 0
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

@test "exercise 1.4: fork_echo serves a second client while the first is still connected" {
    connect; echo_on "${clients[0]}" "from A"
    connect; echo_on "${clients[1]}" "from B"
    echo_on "${clients[0]}" "A again"
    echo_on "${clients[1]}" "B again"
    hang_up_all
    wait_for_lines 2 "Connection closed"
    run cat "$SERVER_OUT"
    assert_line --index 0 "Server listening on 127.0.0.1:$SERVER_PORT"
    run grep -c '^New connection from 127\.0\.0\.1:[0-9][0-9]*$' "$SERVER_OUT"
    assert_output 2
}

@test "exercise 1.4: fork_echo echoes 200 KiB of arbitrary bytes back exactly" {
    head -c 204800 /dev/urandom > "$BATS_TEST_TMPDIR/sent"
    connect
    cat "$BATS_TEST_TMPDIR/sent" >&"${clients[0]}" &
    local writer=$!
    timeout 10 head -c 204800 <&"${clients[0]}" > "$BATS_TEST_TMPDIR/received"
    wait "$writer"
    cmp "$BATS_TEST_TMPDIR/sent" "$BATS_TEST_TMPDIR/received"
}

@test "exercise 1.4: a child per client, the parent keeps only the listening socket, no zombies" {
    local i
    for i in 1 2 3; do connect; echo_on "${clients[-1]}" "client $i"; done
    run children_of "$SERVER_PID"
    assert_equal "${#lines[@]}" 3
    run sockets_of "$SERVER_PID"
    assert_output 1
    hang_up_all
    wait_for_lines 3 "Connection closed"
    # Every child has exited; reaped, it is gone; not reaped, it stays a zombie (Z).
    for _ in $(seq 50); do
        [ -z "$(children_of "$SERVER_PID")" ] && break
        sleep 0.1
    done
    run children_of "$SERVER_PID"
    assert_output ""
}

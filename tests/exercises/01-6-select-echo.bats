#!/usr/bin/env bats
# Exercise 1.6: One thread, select and callbacks.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

# select_echo [HOST [PORT]] is blocking_echo rewritten around select(): the same lines
# ("Server listening on HOST:PORT", "New connection from ADDRESS:PORT", "Connection
# closed") and the same echo, but every connected client is served at once, by one
# thread that sleeps only in select().

setup() {
    require_program select_echo
    start_server select_echo 127.0.0.1 0
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

@test "exercise 1.6: select_echo serves ten clients at once, in one thread of one process" {
    local i
    for i in $(seq 10); do connect; echo_on "${clients[-1]}" "client $i"; done
    for i in 9 5 0; do echo_on "${clients[i]}" "client $((i + 1)) again"; done
    run threads_of "$SERVER_PID"
    assert_output 1
    run children_of "$SERVER_PID"
    assert_output ""
    hang_up_all
    wait_for_lines 10 "Connection closed"
    run cat "$SERVER_OUT"
    assert_line --index 0 "Server listening on 127.0.0.1:$SERVER_PORT"
    run grep -c '^New connection from 127\.0\.0\.1:[0-9][0-9]*$' "$SERVER_OUT"
    assert_output 10
    run sockets_of "$SERVER_PID"
    assert_output 1
}

@test "exercise 1.6: select_echo echoes 200 KiB of arbitrary bytes back exactly" {
    head -c 204800 /dev/urandom > "$BATS_TEST_TMPDIR/sent"
    connect
    cat "$BATS_TEST_TMPDIR/sent" >&"${clients[0]}" &
    local writer=$!
    timeout 10 head -c 204800 <&"${clients[0]}" > "$BATS_TEST_TMPDIR/received"
    wait "$writer"
    cmp "$BATS_TEST_TMPDIR/sent" "$BATS_TEST_TMPDIR/received"
}

@test "exercise 1.6: a client that does not read its echo holds up nobody else" {
    # B sends 16 MiB and reads nothing for a second: the kernel's buffers fill, and the
    # server's send to B would block. A must still be served meanwhile.
    head -c 16777216 /dev/urandom > "$BATS_TEST_TMPDIR/sent"
    connect; echo_on "${clients[0]}" "from A"
    connect
    cat "$BATS_TEST_TMPDIR/sent" >&"${clients[1]}" &
    local writer=$!
    sleep 1
    echo_on "${clients[0]}" "A while B is not reading"
    timeout 20 head -c 16777216 <&"${clients[1]}" > "$BATS_TEST_TMPDIR/received"
    wait "$writer"
    cmp "$BATS_TEST_TMPDIR/sent" "$BATS_TEST_TMPDIR/received"
    echo_on "${clients[0]}" "A after B"
}

@test "exercise 1.6: select_echo sleeps while its clients are quiet" {
    connect; echo_on "${clients[0]}" "from A"
    connect; echo_on "${clients[1]}" "from B"
    local before after
    before=$(cpu_ticks "$SERVER_PID")
    sleep 2
    after=$(cpu_ticks "$SERVER_PID")
    # A server that spins instead of sleeping in select() burns most of the two seconds.
    (( after - before <= 10 )) || fail "select_echo used $((after - before)) ticks of CPU in 2 s of quiet"
}

#!/usr/bin/env bats
# Chapter 1: the blocking echo server (build/stageN/bin/blocking_echo), which serves one
# client at a time. It stays in every stage, so these tests run on stages 1 to 8.
load helpers
bats_require_minimum_version 1.5.0

setup() {
    require_program blocking_echo
}

teardown() {
    exec 7>&- 8>&- 2>/dev/null || true
    stop_server
}

# connect FD: open a TCP connection to the server on file descriptor FD (7 or 8; bats keeps 3 for itself).
connect() {
    eval "exec $1<>/dev/tcp/127.0.0.1/$SERVER_PORT" \
        || fail "cannot connect to 127.0.0.1:$SERVER_PORT"
}

@test "blocking_echo echoes a line back and says who connected and when they left" {
    start_server blocking_echo 127.0.0.1 0
    connect 7
    printf 'hello, echo\n' >&7
    read -r -t 5 -u 7 line || fail "no echo within 5 s"
    assert_equal "$line" "hello, echo"
    exec 7>&-
    # "Connection closed" is printed once the server has seen the client hang up.
    for _ in $(seq 50); do grep -q '^Connection closed$' "$SERVER_OUT" && break; sleep 0.1; done
    run cat "$SERVER_OUT"
    assert_line --index 0 "Server listening on 127.0.0.1:$SERVER_PORT"
    assert_line --index 1 --regexp '^New connection from 127\.0\.0\.1:[0-9]+$'
    assert_line --index 2 "Connection closed"
}

@test "blocking_echo echoes 200 KiB of arbitrary bytes back exactly" {
    # Binary data (NUL bytes included) and more than one recv() buffer: the echo must be
    # byte for byte what was sent, however recv() and send() split it.
    start_server blocking_echo 127.0.0.1 0
    head -c 204800 /dev/urandom > "$BATS_TEST_TMPDIR/sent"
    connect 7
    # Write from the background while reading, so neither side can fill its buffers and
    # wait for the other.
    cat "$BATS_TEST_TMPDIR/sent" >&7 &
    local writer=$!
    timeout 10 head -c 204800 <&7 > "$BATS_TEST_TMPDIR/received"
    wait "$writer"
    cmp "$BATS_TEST_TMPDIR/sent" "$BATS_TEST_TMPDIR/received"
}

@test "a second client stalls while the first is connected, and is served after it leaves" {
    start_server blocking_echo 127.0.0.1 0
    connect 7
    printf 'from A\n' >&7
    read -r -t 5 -u 7 line || fail "the first client got no echo"
    assert_equal "$line" "from A"

    # B's connection is accepted by the kernel (the listen backlog), and its bytes wait in
    # the kernel, but the server is inside recv() for A: no echo for B.
    connect 8
    printf 'from B\n' >&8
    if read -r -t 1 -u 8 line; then
        fail "the second client was served while the first was connected: got '$line'"
    fi
    # A is still served meanwhile.
    printf 'A again\n' >&7
    read -r -t 5 -u 7 line || fail "the first client got no second echo"
    assert_equal "$line" "A again"

    # A hangs up: the server accepts B and echoes what B sent a second ago.
    exec 7>&-
    read -r -t 5 -u 8 line || fail "the second client was not served after the first left"
    assert_equal "$line" "from B"
    run grep -c '^New connection from' "$SERVER_OUT"
    assert_output 2
}

@test "a bad address is refused with a clear message and exit status 1" {
    for host in localhost 256.1.1.1 not-an-address ::1; do
        run --separate-stderr timeout 5 "$BIN/blocking_echo" "$host" 0
        assert_failure 1
        [[ "$stderr" == *"$host is not an IPv4 address"* ]] || fail "stderr for $host: $stderr"
        assert_output ""
    done
}

@test "a bad port number is refused with a clear message and exit status 1" {
    for port in 65536 99999 -1 abc 80x ""; do
        run --separate-stderr timeout 5 "$BIN/blocking_echo" 127.0.0.1 "$port"
        assert_failure 1
        [[ "$stderr" == *"is not a port number"* ]] || fail "stderr for '$port': $stderr"
    done
}

@test "a port that is already taken is refused with exit status 1" {
    start_server blocking_echo 127.0.0.1 0
    run --separate-stderr timeout 5 "$BIN/blocking_echo" 127.0.0.1 "$SERVER_PORT"
    assert_failure 1
    [[ "$stderr" == *"Address already in use"* ]] || fail "stderr: $stderr"
}

@test "too many arguments print usage and exit 2" {
    run --separate-stderr timeout 5 "$BIN/blocking_echo" 127.0.0.1 0 extra
    assert_failure 2
    [[ "$stderr" == *"usage: blocking_echo"* ]] || fail "stderr: $stderr"
}

#!/usr/bin/env bats
# Exercise 8.3: A client that reads the whole echo.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

# split_echo_server: an echo server on 127.0.0.1, any free port, that sends every echo in
# two halves 50 ms apart. Sets SPLIT_PORT and SPLIT_PID.
split_echo_server() {
    local python=/usr/bin/python3
    [ -x "$python" ] || python=python3
    "$python" -u -c '
import socket, sys, threading, time
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(5)
print(listener.getsockname()[1], flush=True)
def serve(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                return
            half = len(data) // 2
            conn.sendall(data[:half])
            time.sleep(0.05)
            conn.sendall(data[half:])
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
' > "$BATS_TEST_TMPDIR/split.port" 2>/dev/null 3>&- &
    SPLIT_PID=$!
    local deadline=$(( SECONDS + 10 ))
    while (( SECONDS < deadline )); do
        SPLIT_PORT=$(head -n 1 "$BATS_TEST_TMPDIR/split.port")
        [ -n "$SPLIT_PORT" ] && return 0
        sleep 0.05
    done
    fail "the splitting echo server did not start"
}

teardown() {
    if [ -n "${SPLIT_PID:-}" ]; then
        kill "$SPLIT_PID" 2>/dev/null || true
        wait "$SPLIT_PID" 2>/dev/null || true
    fi
}

@test "exercise 8.3: the client prints every echo whole when the server sends it in two pieces" {
    split_echo_server
    # The demo's own server cannot listen on the taken port, so its client talks to ours.
    run_program 60 demo "$SPLIT_PORT"
    assert_success
    assert_line "Server error: Address already in use"
    run grep '^Client ' <<< "$output"
    assert_output - <<EOF2
Client connecting to 127.0.0.1:$SPLIT_PORT
Client sending: Hello from the client!
Client received: Hello from the client!
Client sending: This is a test message
Client received: This is a test message
Client sending: Goodbye!
Client received: Goodbye!
Client finished sending messages
EOF2
}

#!/usr/bin/env bats
# Exercise 9.3: Latency on a schedule.
# kind: code
load ../helpers

teardown() {
    if [ -n "${STALL_PID:-}" ]; then
        kill "$STALL_PID" 2>/dev/null || true
        wait "$STALL_PID" 2>/dev/null || true
    fi
}

# stalling_server: an echo server on a free port that holds back its fifth echo on
# every connection for 300 ms; sets STALL_PORT.
stalling_server() {
    local port_file="$BATS_TEST_TMPDIR/stall.port"
    python3 - "$port_file" <<'PY' 3>&- &
import os, socket, sys, threading, time
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(8)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(listener.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
def serve(client):
    count = 0
    while data := client.recv(65536):
        count += 1
        if count == 5:
            time.sleep(0.3)
        client.sendall(data)
    client.close()
while True:
    client, _ = listener.accept()
    threading.Thread(target=serve, args=(client,), daemon=True).start()
PY
    STALL_PID=$!
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )) && [ ! -s "$port_file" ]; do sleep 0.05; done
    STALL_PORT=$(cat "$port_file") || fail "the stalling server did not start"
}

p99_us() {
    sed -E 's/.* p99_us=([0-9]+).*/\1/' <<< "$output"
}

@test "exercise 9.3: with -r, a stall shows in every round trip it delayed" {
    stalling_server
    run_program 20 bench_echo -r 100 127.0.0.1 "$STALL_PORT" 1 100
    assert_success
    [[ "$output" =~ ^echo\ connections=1\ rounds=100\ bytes=64\ round_trips=100\ .*\ rate=100$ ]] \
        || fail "not the line asked for: $output"
    # about thirty messages were due during the 300 ms stall: the 99th percentile is one
    (( $(p99_us) >= 100000 )) || fail "the stall hides in the 99th percentile: $output"
}

@test "exercise 9.3: without -r, the closed loop counts the stall once and hides it" {
    stalling_server
    run_program 20 bench_echo 127.0.0.1 "$STALL_PORT" 1 100
    assert_success
    [[ "$output" != *"rate="* ]] || fail "a closed-loop run reports a rate: $output"
    (( $(p99_us) < 100000 )) || fail "one stall in 100 should not reach the 99th percentile: $output"
}

@test "exercise 9.3: a rate that is not a positive number is refused with status 2" {
    refuses_with_usage bench_echo "*usage: bench_echo*\[-r RATE\]*" \
        "-r 0 127.0.0.1 1 1 1" "-r x 127.0.0.1 1 1 1" "-r"
}

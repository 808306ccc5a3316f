#!/usr/bin/env bats
# Chapter 9, Measuring: every benchmark program runs briefly and prints one well-formed
# key=value line; bench_echo checks every echoed byte and fails loudly when one is wrong;
# bad arguments get the usage line and status 2. No test asserts a speed.

load helpers

teardown() {
    stop_server
    if [ -n "${FAKE_PID:-}" ]; then
        kill "$FAKE_PID" 2>/dev/null || true
        wait "$FAKE_PID" 2>/dev/null || true
    fi
}

# A decimal number, as the programs print them (%.1f, %.2f, %.0f, %lld).
NUM='[0-9]+(\.[0-9]+)?'

# assert_one_line REGEX: the program printed exactly one line: REGEX, then perhaps more
# key=value pairs (a later chapter may add a figure; the ones named here must stay).
assert_one_line() {
    assert_success
    assert_equal "${#lines[@]}" 1
    [[ "${lines[0]}" =~ ^$1( [a-z0-9_]+=[^ =]+)*$ ]] \
        || fail "not a well-formed line: '${lines[0]}' (wanted /$1/)"
}

# fake_server MODE: start a Python echo server on a free port that misbehaves as MODE
# says (corrupt: changes the fourth byte of every echo; hangup: closes after the first
# message), and set FAKE_PORT.
fake_server() {
    local port_file="$BATS_TEST_TMPDIR/fake.port"
    python3 - "$1" "$port_file" <<'EOF' 3>&- &
import socket, sys
mode, port_file = sys.argv[1], sys.argv[2]
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(8)
with open(port_file + ".tmp", "w") as f:
    f.write(str(listener.getsockname()[1]))
import os; os.rename(port_file + ".tmp", port_file)
while True:
    client, _ = listener.accept()
    data = client.recv(65536)
    while data:
        if mode == "hangup":
            break
        echo = bytearray(data)
        if len(echo) > 3:
            echo[3] ^= 0x20
        client.sendall(bytes(echo))
        data = client.recv(65536)
    client.close()
EOF
    FAKE_PID=$!
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )) && [ ! -s "$port_file" ]; do sleep 0.05; done
    FAKE_PORT=$(cat "$port_file") || fail "the fake server did not start"
}

@test "bench_yield with 1 and 2 tasks prints one yield line" {
    run_program 10 bench_yield 1 1000
    assert_one_line "yield tasks=1 rounds=1000 ns_per_yield=$NUM cpu_ns_per_yield=$NUM"
    assert_equal "$stderr" ""
    run_program 10 bench_yield 2 1000
    assert_one_line "yield tasks=2 rounds=1000 ns_per_yield=$NUM cpu_ns_per_yield=$NUM"
}

@test "bench_spawn prints one spawn line, per task" {
    run_program 10 bench_spawn 1000
    assert_one_line "spawn tasks=1000 batch=100 ns_per_task=$NUM cpu_ns_per_task=$NUM"
    assert_equal "$stderr" ""
}

@test "bench_tasks holds exactly the tasks it was asked for, asleep, and says so" {
    run_program 10 bench_tasks 200
    assert_one_line "tasks count=200 resident_bytes_per_task=[0-9]+ mapped_bytes_per_task=[0-9]+ stop=asked"
    # a sleeping task maps at least something: its stack
    local mapped
    mapped=$(sed -E 's/.*mapped_bytes_per_task=([0-9]+).*/\1/' <<< "$output")
    (( mapped > 0 )) || fail "a sleeping task maps nothing: $output"
}

@test "bench_tasks max stops when schedule() refuses, and reports why" {
    require_program bench_tasks
    if built_with_asan bench_tasks; then
        # ASan's allocator maps memory of its own; at vm.max_map_count it aborts the
        # program before schedule() can refuse, so the limit cannot be reached cleanly
        skip "built with AddressSanitizer, whose own mappings hit vm.max_map_count first"
    fi
    if [ -x "$BIN/stacks_check" ]; then
        # From chapter 11 on, stacks no longer run out of mappings and max is bounded by
        # memory instead: it would take minutes. Chapter 11's test holds 100,000 tasks.
        skip "from chapter 11 on, max is bounded by memory, not by the loop"
    fi
    run_program 50 bench_tasks max
    assert_one_line "tasks count=[0-9]+ resident_bytes_per_task=[0-9]+ mapped_bytes_per_task=[0-9]+ stop=(ENOMEM|errno[0-9]+|asked)"
    local count
    count=$(sed -E 's/.*count=([0-9]+).*/\1/' <<< "$output")
    (( count >= 100 )) || fail "the loop held only $count tasks: $output"
}

@test "bench_sleepers prints wall, CPU and lateness, and never sees an early wake" {
    run_program 10 bench_sleepers 300 50
    assert_one_line "sleepers tasks=300 span_ms=50 wall_ms=$NUM cpu_ms=$NUM late_p50_us=$NUM late_p99_us=$NUM late_max_us=$NUM"
    assert_equal "$stderr" ""
    # a run cannot end before its longest sleep (the longest of 300 is close to 50 ms)
    local wall
    wall=$(sed -E 's/.*wall_ms=([0-9]+).*/\1/' <<< "$output")
    (( wall >= 40 )) || fail "300 sleeps of up to 50 ms were over in $wall ms: $output"
}

@test "bench_cancel prints the latency of a cancellation at three ranks" {
    run_program 10 bench_cancel 500
    assert_one_line "cancel rounds=500 p50_ns=[0-9]+ p99_ns=[0-9]+ max_ns=[0-9]+"
    assert_equal "$stderr" ""
}

@test "bench_echo against echo_server: every round trip done, server CPU read from /proc" {
    require_program bench_echo
    start_server echo_server -q 127.0.0.1 0
    run_program 20 bench_echo -p "$SERVER_PID" 127.0.0.1 "$SERVER_PORT" 5 200
    assert_one_line "echo connections=5 rounds=200 bytes=64 round_trips=1000 rt_per_s=$NUM p50_us=$NUM p99_us=$NUM client_cpu_us_per_rt=$NUM server_cpu_us_per_rt=$NUM"
    assert_equal "$stderr" ""
}

@test "bench_echo with messages larger than a socket buffer collects every piece" {
    require_program bench_echo
    start_server echo_server -q 127.0.0.1 0
    run_program 30 bench_echo -s 300000 127.0.0.1 "$SERVER_PORT" 2 3
    assert_one_line "echo connections=2 rounds=3 bytes=300000 round_trips=6 rt_per_s=$NUM p50_us=$NUM p99_us=$NUM client_cpu_us_per_rt=$NUM"
}

@test "bench_echo fails loudly, with no result line, when an echoed byte is wrong" {
    require_program bench_echo
    fake_server corrupt
    run_program 10 bench_echo 127.0.0.1 "$FAKE_PORT" 2 10
    assert_failure 1
    assert_output ""
    [[ "$stderr" == *"round 0: byte 3 came back as 0x"*", sent 0x"* ]] \
        || fail "no report of the wrong byte: $stderr"
}

@test "bench_echo fails when the server hangs up in the middle of the run" {
    require_program bench_echo
    fake_server hangup
    run_program 10 bench_echo 127.0.0.1 "$FAKE_PORT" 1 10
    assert_failure 1
    assert_output ""
    [[ "$stderr" == *"the server hung up after 0 of 64 bytes"* ]] || fail "$stderr"
}

@test "bench_echo fails when nothing listens" {
    require_program bench_echo
    local port
    port=$(free_port)
    run_program 10 bench_echo 127.0.0.1 "$port" 1 10
    assert_failure 1
    [[ "$stderr" == *"cannot connect to 127.0.0.1:$port"* ]] || fail "$stderr"
}

@test "bad arguments get the usage line and status 2" {
    refuses_with_usage bench_yield "usage: bench_yield*" "" "1" "0 10" "1 0" "x 10" "1 10 3"
    refuses_with_usage bench_spawn "usage: bench_spawn*" "" "0" "-5" "many" "1 2"
    refuses_with_usage bench_cancel "usage: bench_cancel*" "" "0" "-5" "many" "1 2"
    refuses_with_usage bench_tasks "usage: bench_tasks*" "" "0" "maximum" "10 10"
    refuses_with_usage bench_sleepers "usage: bench_sleepers*" "" "0" "10 -1" "10 x" "10 10 10"
    refuses_with_usage bench_echo "*usage: bench_echo*" "" "127.0.0.1 1 1" "127.0.0.1 0 1 1" \
        "127.0.0.1 1 0 1" "127.0.0.1 1 1 0" "-s 0 127.0.0.1 1 1 1" "-p x 127.0.0.1 1 1 1" \
        "-z 127.0.0.1 1 1 1"
}

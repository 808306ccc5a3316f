#!/usr/bin/env bats
# Chapter 14: one loop per core (build/stageN/bin/loops, echo_server -j, echo_load).
load helpers

teardown() {
    stop_server
}

@test "loops: four loops on four threads at once, each task always itself; a task of another loop cannot be cancelled" {
    run_program 30 loops
    assert_success
    assert_output "4 loops ran at once, one per thread
loop 1: ok; 100000 turns; every task was itself after each: yes
loop 2: ok; 100000 turns; every task was itself after each: yes
loop 3: ok; 100000 turns; every task was itself after each: yes
loop 4: ok; 100000 turns; every task was itself after each: yes
loop 2 cancels a task of loop 1: Operation not permitted
loop 1 cancels it itself: its sleep returns Operation canceled"
}

@test "loops and echo_server -j refuse a bad count with a usage line" {
    refuses_with_usage loops "usage: loops \[THREADS\]" "0" "65" "x" "2 3"
    refuses_with_usage echo_server "usage: echo_server \[-q\]*\[-j LOOPS\]*" "-j 0" "-j 257" "-j x" "-j"
}

@test "echo_server -j 2 serves 2,000 clients at once, every byte back, on both loops" {
    # (400 on select, which cannot watch the descriptors of 2,000: chapter 12)
    local clients=2000
    [ "$(poller_in_use)" = select ] && clients=400
    local need=$(( clients + 64 ))
    (( $(ulimit -Hn) >= need )) || skip "the hard descriptor limit $(ulimit -Hn) is below $need"
    ulimit -n "$need"
    start_server echo_server -q -j 2 127.0.0.1 0
    # two threads: the first loop runs on the process's main thread (under qemu-user the
    # emulator has a thread of its own as well)
    emulated echo_server || assert_equal "$(ls "/proc/$SERVER_PID/task" | wc -l)" 2
    ASYNC_POLLER=epoll run_program 60 echo_load 127.0.0.1 "$SERVER_PORT" "$clients" 20
    assert_success
    assert_output "$clients clients x 20 messages: $clients clients got every byte back, 0 failed"
    # the kernel spread the connections over both listening sockets, so each loop's
    # thread spent CPU time on them (all of them hashed to one socket: a chance of 2^-399)
    local task busy=0
    for task in /proc/"$SERVER_PID"/task/*; do
        (( $(awk '{ print $14 + $15 }' "$task/stat") >= 2 )) && busy=$(( busy + 1 ))
    done
    (( busy >= 2 )) || fail "only $busy thread(s) of the server spent CPU time: did both loops serve?"
}

@test "echo_server -j 1 keeps a port to itself; -j 2 shares its port only with its own loops" {
    start_server echo_server -q 127.0.0.1 0
    local port=$SERVER_PORT
    run_program 5 echo_server -q -j 2 127.0.0.1 "$port"
    assert_failure 1
    assert_equal "$stderr" "Server error: Address already in use"
    stop_server
    start_server echo_server -q -j 2 127.0.0.1 0
    run_program 5 echo_server -q 127.0.0.1 "$SERVER_PORT"
    assert_failure 1
    assert_equal "$stderr" "Server error: Address already in use"
}

# --- the server under load and faults -----------------------------------------------------

@test "echo_server on select refuses, at accept and in its log, the clients it cannot watch, and serves all the others" {
    local clients=2000 need=2100
    (( $(ulimit -Hn) >= need )) || skip "the hard descriptor limit $(ulimit -Hn) is below $need"
    ulimit -n "$need"
    ASYNC_POLLER=select start_server echo_server -q 127.0.0.1 0
    ASYNC_POLLER=epoll run_program 60 echo_load 127.0.0.1 "$SERVER_PORT" "$clients" 10
    assert_failure 1
    local served failed refused
    served=$(sed -n 's/.*: \([0-9]*\) clients got every byte back, \([0-9]*\) failed$/\1/p' <<< "$output")
    failed=$(sed -n 's/.*: \([0-9]*\) clients got every byte back, \([0-9]*\) failed$/\2/p' <<< "$output")
    refused=$(grep -c "^Refused 127\.0\.0\.1:[0-9]*: the poller cannot watch its descriptor$" "$SERVER_ERR" || true)
    echo "served $served, failed $failed, refused in the log $refused" >&2
    (( served + failed == clients && failed >= 1 && served >= 900 ))
    # every client that failed was refused, and said so in the log, and nothing else was
    assert_equal "$refused" "$failed"
    assert_equal "$(grep -vc "^Refused " "$SERVER_ERR" || true)" 0
    kill -0 "$SERVER_PID"
}

@test "accept(2)'s transient errors (EPROTO, ENETDOWN, EHOSTUNREACH, ENONET) never stop the server" {
    [ "$(poller_in_use)" = io_uring ] && skip "io_uring accepts in the ring, where strace cannot inject"
    local error
    for error in EPROTO ENETDOWN EHOSTUNREACH ENONET; do
        # every other accept fails with the error, while its connection stays queued
        start_server_traced "-e trace=accept,accept4 -e inject=accept,accept4:error=$error:when=1+2" \
            echo_server -q 127.0.0.1 0
        ASYNC_POLLER=epoll run_program 30 echo_load 127.0.0.1 "$SERVER_PORT" 20 5
        assert_success
        assert_output "20 clients x 5 messages: 20 clients got every byte back, 0 failed"
        kill -0 "$SERVER_PID" || fail "the server ended after $error"
        assert_equal "$(cat "$SERVER_ERR")" ""
        stop_server
    done
}

@test "a handler that cannot be spawned (no memory for its stack): its client is closed, the log says why, nothing leaks" {
    require_program echo_load
    emulated echo_server && skip "strace would trace the emulator, not echo_server"
    built_with_asan echo_server && skip "AddressSanitizer's allocator takes its memory with mmap too"
    start_server echo_server -q 127.0.0.1 0
    local before
    before=$(open_descriptors "$SERVER_PID")
    # from now on every mmap fails, and a new task's stack is an mmap (chapter 11)
    attach_strace "$SERVER_PID" "-e trace=mmap -e inject=mmap:error=ENOMEM"
    run timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; echo hello >&3
                            IFS= read -r reply <&3; echo "read $? [$reply]"' _ "$SERVER_PORT"
    # the connection is closed at once, without an answer (not held open until the timeout)
    refute_output --partial "hello"
    [ "$status" -ne 124 ] || fail "the client was never answered nor closed"
    local expected="^Could not serve 127\.0\.0\.1:[0-9]+: Cannot allocate memory$"
    [[ "$(cat "$SERVER_ERR")" =~ $expected ]] || fail "the log said: $(cat "$SERVER_ERR")"
    assert_equal "$(open_descriptors "$SERVER_PID")" "$before"
    kill "$ATTACHED_PID"; wait "$ATTACHED_PID" 2>/dev/null || true; ATTACHED_PID=
    ASYNC_POLLER=epoll run_program 30 echo_load 127.0.0.1 "$SERVER_PORT" 5 5
    assert_success
    assert_output "5 clients x 5 messages: 5 clients got every byte back, 0 failed"
}

@test "10,000 concurrent clients x 100 messages each, every byte back (epoll)" {
    # A million round trips take a while (13 s here, 20 s under ASan), so this test runs
    # where it tells something new: on epoll with the stage's own switch, as built and
    # under make check's sanitizers. io_uring and poll serve 2,000 at once in chapters 12
    # and 13; the ucontext switch and this chapter's exercises change nothing it measures.
    [ "$(poller_in_use)" = epoll ] || skip "for epoll; the other pollers are tested at 2,000"
    [ "${EXPECT_SWITCH:-}" != ucontext ] || skip "the ucontext switch changes nothing it measures"
    [[ "$STAGE_DIR" != */answers/* ]] || skip "an exercise's answer changes nothing it measures"
    emulated echo_server && skip "10,000 clients under qemu-user take minutes"
    local need=10100
    (( $(ulimit -Hn) >= need )) || skip "the hard descriptor limit $(ulimit -Hn) is below $need"
    ulimit -n "$need"
    start_server echo_server -q 127.0.0.1 0
    ASYNC_POLLER=epoll run_program 240 echo_load 127.0.0.1 "$SERVER_PORT" 10000 100
    assert_success
    assert_output "10000 clients x 100 messages: 10000 clients got every byte back, 0 failed"
    assert_equal "$(cat "$SERVER_ERR")" ""
}

@test "a client that sends 64 MiB and never reads does not grow the server's memory" {
    start_server echo_server -q 127.0.0.1 0
    local before sent after
    before=$(resident_kib "$SERVER_PID")
    # send without reading until nothing more goes for a second (or 64 MiB went); then,
    # with the connection still open and full, read the server's resident memory
    run timeout 60 python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setblocking(False)
chunk, sent, last = b"x" * 65536, 0, time.monotonic()
while sent < 64 << 20 and time.monotonic() - last < 1:
    try:
        sent += s.send(chunk)
        last = time.monotonic()
    except BlockingIOError:
        time.sleep(0.01)
with open("/proc/%s/status" % sys.argv[2]) as status:
    rss = [line.split()[1] for line in status if line.startswith("VmRSS:")][0]
print(sent, rss)' "$SERVER_PORT" "$SERVER_PID"
    assert_success
    read -r sent after <<< "$output"
    echo "sent $sent bytes; server resident $before KiB before, $after KiB while full" >&2
    # the server stopped reading when the client stopped reading: flow control, not memory
    (( sent < 64 << 20 )) || fail "the server took all 64 MiB"
    (( after - before < 2048 )) || fail "the server grew by $(( after - before )) KiB"
    # and it still serves others
    ASYNC_POLLER=epoll run_program 30 echo_load 127.0.0.1 "$SERVER_PORT" 5 5
    assert_success
}

# build_pollers: the pollers this build has, as pollers lists them when asked for one it
# does not have ("...; it has epoll poll select io_uring"), io_uring last.
build_pollers() {
    local names
    names=$(ASYNC_POLLER=no-such-poller "$BIN/pollers" 2>&1 >/dev/null | sed -n 's/^.*; it has //p')
    [ -n "$names" ] || fail "pollers did not list the pollers this build has"
    printf '%s\n' $names | grep -vx io_uring || true
    printf '%s\n' $names | grep -x io_uring || true
}

# storm POLLER SEED: run request_storm SEED (300 tasks) on POLLER; every request must be
# accounted for. On a failure the output, whose first line names the seed, is shown.
storm() {
    local poller=$1 seed=$2
    ASYNC_POLLER=$poller run_program 60 request_storm "$seed" 300
    local summary="^seed $seed: 300 tasks finished, [0-9]+ cancelled, "
    summary+="[0-9]+ bytes written and read, every request accounted for\$"
    [ "$status" -eq 0 ] || fail "seed $seed on $poller: status $status: $output $stderr"
    [ "${lines[0]}" = "request_storm: seed $seed, 300 tasks, poller $poller" ] ||
        fail "seed $seed on $poller: first line: $output"
    [[ "${lines[${#lines[@]} - 1]}" =~ $summary ]] || fail "seed $seed on $poller: $output"
    [ -z "$stderr" ] || fail "seed $seed on $poller: standard error: $stderr"
    # what the seed fixes, the last line, is the same on every poller
    local key="summary_$seed"
    [ -n "${!key:-}" ] || printf -v "$key" '%s' "${lines[${#lines[@]} - 1]}"
    assert_equal "${lines[${#lines[@]} - 1]}" "${!key}"
}

@test "request_storm: random mixes of spawn, sleep, watch, write and cancel, on every poller, from a printed seed" {
    require_program pollers
    local seeds=(20240601 "$RANDOM" "$RANDOM") poller seed refusal
    echo "seeds: ${seeds[*]}" >&2
    for poller in $(build_pollers); do
        if [ "$poller" = io_uring ]; then
            refusal=$(ASYNC_POLLER=io_uring uring_refusal)
            [ -z "$refusal" ] || skip "the other pollers passed; $refusal"
        fi
        for seed in "${seeds[@]}"; do
            storm "$poller" "$seed"
        done
    done
}

@test "request_storm: the same seed plans the same storm; a bad argument gets the usage line" {
    run_program 60 request_storm 7 200
    assert_success
    local first=${lines[${#lines[@]} - 1]}
    run_program 60 request_storm 7 200
    assert_success
    assert_equal "${lines[${#lines[@]} - 1]}" "$first"
    refuses_with_usage request_storm "usage: request_storm \[SEED \[TASKS\]\]" "x" "1 0" "1 100001" "1 2 3" "-1"
}

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

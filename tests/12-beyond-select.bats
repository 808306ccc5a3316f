#!/usr/bin/env bats
# Chapter 12: beyond select: poll and epoll behind one interface
# (build/stageN/bin/pollers, poller_edges, fd_errors, echo_server, echo_load, bench_echo).
load helpers

POLLERS=(select poll epoll)

@test "pollers: the build waits in its default poller (make BACKEND=, else epoll) unless ASYNC_POLLER says otherwise" {
    ASYNC_POLLER= run_program 10 pollers
    assert_success
    assert_output "${BACKEND:-epoll}"
    for poller in "${POLLERS[@]}"; do
        ASYNC_POLLER=$poller run_program 10 pollers
        assert_success
        assert_output "$poller"
    done
}

@test "pollers: a poller the build does not have is a clear error, not the default" {
    ASYNC_POLLER=kqueue run_program 10 pollers
    assert_failure 1
    assert_output ""
    # from chapter 13 on, a build with liburing has io_uring too, last in the list
    local expected="^ASYNC_POLLER=kqueue: this build has no such poller; it has epoll poll select"
    expected+="( io_uring)?"$'\n'"pollers: event_loop: Invalid argument\$"
    [[ "$stderr" =~ $expected ]] || fail "pollers said: $stderr"
}

@test "poller_edges: a reused number, a closed duplicate and a regular file, on every poller" {
    for poller in "${POLLERS[@]}"; do
        ASYNC_POLLER=$poller run_program 10 poller_edges
        assert_success
        assert_output "poller: $poller
a new pipe has the old numbers: yes
waiting on it: ok
waiting on a duplicate: ok
after closing it, the loop slept without spinning: yes
a regular file is readable: ok
and writable: ok"
    done
}

@test "fd_errors: every poller keeps Part I's rules; only select refuses fd 1024" {
    for poller in "${POLLERS[@]}"; do
        ASYNC_POLLER=$poller run_program 10 fd_errors
        assert_success
        assert_equal "${#lines[@]}" 18
        if [ "${lines[0]}" != "Readable on fd FD_SETSIZE: not tried (RLIMIT_NOFILE is too low)" ]; then
            if [ "$poller" = select ]; then
                assert_equal "${lines[0]}" "Readable on fd FD_SETSIZE: Invalid argument"
            else
                assert_equal "${lines[0]}" "Readable on fd FD_SETSIZE: ok"
            fi
        fi
        assert_equal "${lines[3]}" "waiter: waits for the pipe to become readable"
        assert_line "waiter on a pipe that another task closes: Bad file descriptor"
        assert_line "Errored on the refused socket: Bad file descriptor"
    done
}

# serve CLIENTS MESSAGES POLLER: echo_server on POLLER, echo_load (on epoll) with CLIENTS
# clients at once; both with a descriptor limit raised for them
serve_many() {
    local clients=$1 messages=$2 poller=$3
    local need=$(( clients + 64 ))
    (( $(ulimit -Hn) >= need )) || skip "the hard descriptor limit $(ulimit -Hn) is below $need"
    ulimit -n "$need"
    ASYNC_POLLER=$poller start_server echo_server -q 127.0.0.1 0
    ASYNC_POLLER=epoll run_program 60 echo_load 127.0.0.1 "$SERVER_PORT" "$clients" "$messages"
    stop_server
}

@test "echo_server on epoll serves 2,000 clients at once, every byte back" {
    serve_many 2000 20 epoll
    assert_success
    assert_output "2000 clients x 20 messages: 2000 clients got every byte back, 0 failed"
}

@test "echo_server on poll serves 2,000 clients at once, every byte back" {
    serve_many 2000 20 poll
    assert_success
    assert_output "2000 clients x 20 messages: 2000 clients got every byte back, 0 failed"
}

@test "the echo server on epoll registers each socket once, not once per wait" {
    ASYNC_POLLER=epoll trace_server echo_server bench_echo epoll_ctl,epoll_wait,recvfrom,sendto 4 1000 -w 500
    assert_output --partial "round_trips=4000 "
    local ctl waits
    ctl=$(traced epoll_ctl)
    waits=$(traced epoll_wait)
    # 4 connections x 1,000 round trips: an ADD for the listener and for each socket, and
    # a DEL for each when it closes; a poller that told the kernel every change would make
    # two calls per round trip, 8,000
    (( ctl >= 5 && ctl <= 40 )) || fail "epoll_ctl called $ctl times for 4,000 round trips"
    (( waits >= 1000 )) || fail "epoll_wait called $waits times: was epoll used at all?"
}

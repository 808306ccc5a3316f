#!/usr/bin/env bats
# Chapter 13: completions instead of readiness: io_uring
# (build/stageN/bin/pollers, completions, poller_edges, fd_errors, echo_server, echo_load,
# bench_echo). Every test that runs a program on io_uring skips, saying why, where the
# kernel refuses io_uring (see uring_refusal in helpers.bash).
load helpers

POLLERS=(select poll epoll io_uring)

@test "pollers: ASYNC_POLLER=io_uring waits in io_uring, and an unknown name lists it last" {
    ASYNC_POLLER=io_uring run_program 10 pollers
    assert_success
    assert_output "io_uring"
    ASYNC_POLLER=kqueue run_program 10 pollers
    assert_failure 1
    assert_equal "$stderr" "ASYNC_POLLER=kqueue: this build has no such poller; it has epoll poll select io_uring
pollers: event_loop: Invalid argument"
}

@test "a kernel that refuses io_uring: event_loop says why, and the loop does not quietly use another poller" {
    command -v strace >/dev/null || skip "strace is not installed"
    emulated pollers && skip "strace would trace the emulator"
    require_program pollers
    run --separate-stderr strace -f -qq -o /dev/null -e inject=io_uring_setup:error=EPERM \
        env ASYNC_POLLER=io_uring "$BIN/pollers"
    [[ "$stderr" == *"ptrace"* ]] && skip "strace cannot trace here: $stderr"
    assert_failure 1
    assert_output ""
    assert_equal "$stderr" "pollers: event_loop: Operation not permitted"
    # and what the tests print when they skip for it
    # (helpers.bash's load lines fail outside bats, on standard error, which is not checked)
    ASYNC_POLLER=io_uring run --separate-stderr strace -f -qq -o /dev/null \
        -e inject=io_uring_setup:error=EPERM \
        bash -c ". '$BATS_TEST_DIRNAME/helpers.bash'; uring_refusal"
    assert_output "io_uring is refused here: Operation not permitted"
}

@test "completions: cancelling and closing under recv, accept and send keep the same rules on every poller" {
    for poller in "${POLLERS[@]}"; do
        ASYNC_POLLER=$poller run_program 20 completions
        assert_success
        assert_output "poller: $poller
a recv cancelled in flight: Operation canceled; its buffer untouched: yes
  bytes sent after the cancel are still there: yes
bytes and a cancel at once: told it was cancelled: yes; got 5 of 5 bytes
a recv on a socket closed under it: Bad file descriptor; the peer saw the end: yes
an accept cancelled in flight: Operation canceled; the listener accepts again: yes
a send of 4 MiB to a peer that reads nothing, cancelled: Operation canceled"
    done
}

@test "poller_edges and fd_errors keep Part I's rules on io_uring" {
    ASYNC_POLLER=io_uring run_program 10 poller_edges
    assert_success
    assert_output "poller: io_uring
a new pipe has the old numbers: yes
waiting on it: ok
waiting on a duplicate: ok
after closing it, the loop slept without spinning: yes
a regular file is readable: ok
and writable: ok"
    ASYNC_POLLER=io_uring run_program 10 fd_errors
    assert_success
    assert_equal "${#lines[@]}" 18
    [ "${lines[0]}" = "Readable on fd FD_SETSIZE: not tried (RLIMIT_NOFILE is too low)" ] ||
        assert_equal "${lines[0]}" "Readable on fd FD_SETSIZE: ok"
    assert_equal "${lines[2]}" "Readable on a closed fd: Bad file descriptor"
    assert_line "waiter on a pipe that another task closes: Bad file descriptor"
    assert_line "receiver: Errored woke it for urgent data: '!'"
    assert_line "Errored on the refused socket: Bad file descriptor"
}

@test "echo_server on io_uring serves 2,000 clients at once, every byte back" {
    local need=2064
    (( $(ulimit -Hn) >= need )) || skip "the hard descriptor limit $(ulimit -Hn) is below $need"
    ulimit -n "$need"
    ASYNC_POLLER=io_uring start_server echo_server -q 127.0.0.1 0
    ASYNC_POLLER=epoll run_program 60 echo_load 127.0.0.1 "$SERVER_PORT" 2000 20
    stop_server
    assert_success
    assert_output "2000 clients x 20 messages: 2000 clients got every byte back, 0 failed"
}

@test "the echo server on io_uring makes no recv or send calls, and one wait serves many round trips" {
    ASYNC_POLLER=io_uring trace_server echo_server bench_echo io_uring_enter,recvfrom,sendto,epoll_wait,poll,pselect6 50 200
    assert_output --partial "round_trips=10000 "
    local enter others=0 call
    enter=$(traced io_uring_enter)
    for call in recvfrom sendto epoll_wait poll pselect6; do
        others=$(( others + $(traced "$call") ))
    done
    # every recv and send is an operation in the ring: none is a system call of its own;
    # and with 50 clients at once, one io_uring_enter submits and reaps for many of them
    # (a loop that entered the kernel once per operation would make 20,000 calls)
    assert_equal "$others" 0
    (( enter >= 10 && enter <= 5000 )) || fail "io_uring_enter called $enter times for 10,000 round trips"
}

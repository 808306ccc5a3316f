#!/usr/bin/env bats
# Chapter 5: waiting for file descriptors (Readable, Writable, Errored; select).

load helpers

@test "fd_talk: the listener hears every line the speaker sends, then the end of the stream" {
    require_program fd_talk
    run_program 10 fd_talk
    assert_success
    assert_equal "${lines[0]}" "speaker: sends ping 1"
    assert_equal "${lines[1]}" "listener: got ping 1"
    assert_equal "${lines[2]}" "speaker: sends ping 2"
    assert_equal "${lines[3]}" "listener: got ping 2"
    assert_equal "${lines[4]}" "speaker: sends ping 3"
    assert_equal "${lines[5]}" "listener: got ping 3"
    assert_equal "${lines[6]}" "speaker: hangs up"
    assert_equal "${lines[7]}" "listener: end of stream"
}

@test "fd_talk: two tasks waiting readable on one socket are both woken, oldest first" {
    require_program fd_talk
    run_program 10 fd_talk
    assert_success
    assert_equal "${lines[8]}" "ringer: writes one byte"
    assert_equal "${lines[9]}" "first watcher: woken, reads '!'"
    assert_equal "${lines[10]}" "second watcher: woken, but read says: Resource temporarily unavailable"
    assert_equal "${#lines[@]}" 11
}

@test "fd_errors: a descriptor >= FD_SETSIZE is refused with EINVAL, not written past the fd_set" {
    require_program fd_errors
    run_program 10 fd_errors
    if [ "${lines[0]}" = "Readable on fd FD_SETSIZE: not tried (RLIMIT_NOFILE is too low)" ]; then
        skip "the hard RLIMIT_NOFILE does not allow fd 1024 here"
    fi
    assert_success
    # From chapter 12 on, poll and epoll can watch fd 1024, and fd_errors writes a byte first
    if [ "$(poller_in_use)" = select ]; then
        assert_equal "${lines[0]}" "Readable on fd FD_SETSIZE: Invalid argument"
    else
        assert_equal "${lines[0]}" "Readable on fd FD_SETSIZE: ok"
    fi
}

@test "fd_errors: fd -1 and a closed descriptor are refused at once with EBADF" {
    require_program fd_errors
    run_program 10 fd_errors
    assert_success
    assert_equal "${lines[1]}" "Readable on fd -1: Bad file descriptor"
    assert_equal "${lines[2]}" "Readable on a closed fd: Bad file descriptor"
    # "At once": the waiter, scheduled before these requests, has not run yet. A closed fd
    # that got onto the list would be failed only after a select(), with the waiter run first.
    assert_equal "${lines[3]}" "waiter: waits for the pipe to become readable"
}

@test "fd_errors: a pipe closed under a waiting task fails only that task; the ticker goes on" {
    require_program fd_errors
    run_program 10 fd_errors
    assert_success
    # chapter 12 closes with async_close(): on epoll a plain close() is never seen
    local closes="closer: closes the pipe with plain close()"
    [ -x "$BIN/pollers" ] && closes="closer: closes the pipe with async_close()"
    assert_line "waiter on a pipe that another task closes: Bad file descriptor"
    assert_before "ticker: tick 1" "$closes"
    assert_before "$closes" "waiter on a pipe that another task closes: Bad file descriptor"
    assert_before "ticker: tick 1" "ticker: tick 2"
    assert_before "ticker: tick 2" "ticker: tick 3"
    assert_before "$closes" "ticker: tick 3"
    assert_before "ticker: tick 3" "receiver: waits with Errored on a TCP socket"
}

@test "fd_errors: Errored wakes for TCP urgent data (MSG_OOB)" {
    require_program fd_errors
    run_program 10 fd_errors
    assert_success
    assert_before "receiver: waits with Errored on a TCP socket" "sender: sends \"!\" with MSG_OOB"
    assert_before "sender: sends \"!\" with MSG_OOB" "receiver: Errored woke it for urgent data: '!'"
}

@test "fd_errors: a refused connect wakes Writable with SO_ERROR set, never Errored" {
    require_program fd_errors
    run_program 10 fd_errors
    assert_success
    assert_line "connect to a port nobody listens on: Operation now in progress"
    assert_before "connect to a port nobody listens on: Operation now in progress" \
                  "Writable on the refused socket: ok, SO_ERROR: Connection refused"
    # The Errored waiter is woken only by the close that follows, with EBADF.
    assert_before "Writable on the refused socket: ok, SO_ERROR: Connection refused" \
                  "Errored on the refused socket: Bad file descriptor"
}

@test "fd_errors: signals interrupting select (EINTR) neither stop the loop nor end a wait early" {
    require_program fd_errors
    run_program 10 fd_errors
    assert_success
    assert_line "reader: the pipe became readable: ok"
    assert_line "reader: waited at least 100 ms: yes"
    assert_line "signals arrived while it waited: yes"
}

@test "fd_errors: prints its 18 lines and nothing else, exits 0, within ten seconds" {
    require_program fd_errors
    run_program 10 fd_errors
    assert_success
    assert_equal "${#lines[@]}" 18
}

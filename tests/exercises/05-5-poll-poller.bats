#!/usr/bin/env bats
# Exercise 5.5: A poll poller.
# kind: break (the poll poller watches fd 1024, so fd_errors' first four lines change order; exactly two fd_errors tests must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 5.5: fd 1024 is watched like any other descriptor, after the waiter's first line" {
    run_program 10 fd_errors
    if [[ "$output" == *"not tried (RLIMIT_NOFILE is too low)"* ]]; then
        skip "the hard RLIMIT_NOFILE does not allow fd 1024 here"
    fi
    assert_success
    assert_equal "${lines[0]}" "waiter: waits for the pipe to become readable"
    assert_equal "${lines[1]}" "Readable on fd FD_SETSIZE: ok"
    assert_equal "${lines[2]}" "Readable on fd -1: Bad file descriptor"
    assert_equal "${lines[3]}" "Readable on a closed fd: Bad file descriptor"
    assert_equal "${#lines[@]}" 18
}

@test "exercise 5.5: the two tests of fd_errors' first lines fail, and no other test of chapters 4 and 5" {
    run chapter_tests_failing 5 4
    assert_output - <<'EOF2'
05-file-descriptors.bats: fd_errors: a descriptor >= FD_SETSIZE is refused with EINVAL, not written past the fd_set
05-file-descriptors.bats: fd_errors: fd -1 and a closed descriptor are refused at once with EBADF
EOF2
}

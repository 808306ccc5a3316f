#!/usr/bin/env bats
# Exercise 5.3: The reused descriptor.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 5.3: after a plain close, A is woken by the new pipe and reads its byte" {
    run_program 10 fd_reuse
    assert_success
    assert_equal "${lines[0]}" "B: closes A's descriptor with plain close(); a new pipe reuses its number: yes"
    assert_equal "${lines[1]}" "C: writes 'x' into the new pipe"
    assert_equal "${lines[2]}" "A: woken: ok"
    assert_equal "${lines[3]}" "A: reads 'x' from the descriptor it waited on"
    assert_equal "${lines[4]}" "B: the new pipe's byte is still there: no"
}

@test "exercise 5.3: after loop_forget_fd, A gets EBADF and the new pipe's byte is still there" {
    run_program 10 fd_reuse
    assert_success
    assert_equal "${lines[5]}" "B: closes A's descriptor after loop_forget_fd(); a new pipe reuses its number: yes"
    assert_equal "${lines[6]}" "A: woken: Bad file descriptor"
    assert_equal "${lines[7]}" "C: writes 'x' into the new pipe"
    assert_equal "${lines[8]}" "B: the new pipe's byte is still there: yes"
    assert_equal "${#lines[@]}" 9
}

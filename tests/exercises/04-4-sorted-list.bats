#!/usr/bin/env bats
# Exercise 4.4: A sorted list instead of a heap.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 4.4: timer_list_check: the list stays sorted and its links agree after pushes, removals and pops" {
    run_program 10 timer_list_check
    assert_success
    assert_output "$(printf '%s\n' \
        "list: sorted 10/1 10/3 20/6 30/2 30/5 40/4 50/0" \
        "list: without 10/1, 50/0 and 30/2 10/3 20/6 30/5 40/4" \
        "list: with 30/7, 10/8 and 60/9 10/3 10/8 20/6 30/5 30/7 40/4 60/9" \
        "list: popped 10/3 10/8 20/6 30/5 30/7 40/4 60/9" \
        "list: the links agree both ways after every step")"
}

@test "exercise 4.4: timer_check passes on the list" {
    run_program 30 timer_check
    echo "$stderr"
    assert_success
    assert_output "$(printf '%s\n' \
        "heap: 10000 equal deadlines popped in FIFO order" \
        "heap: random deadlines with removals popped in order" \
        "loop: 10000 of 10000 sleepers woke, in FIFO order, 0 early")"
}

#!/usr/bin/env bats
# Exercise 15.1: Join the first to finish.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 15.1: join_any returns the first task to finish, leaves the others running, and no watcher behind" {
    run_program 10 join_any
    assert_success
    assert_output - <<'EOF2'
three racers, done after 3, 1 and 2 turns: join_any returned 1, "B's result"
A and C still finish: "A's result", "C's result"
a racer that has finished already: join_any returned 1, "done's result"
with a cancel pending: Operation canceled
no tasks: Invalid argument
watchers left running: 0
EOF2
}

@test "exercise 15.1: join_any leaks nothing and touches no freed memory (valgrind)" {
    run_under_valgrind 60 join_any
    assert_success
    assert_line "watchers left running: 0"
}

#!/usr/bin/env bats
# Exercise 3.5: Joining a task.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 3.5: join_demo joins three workers in reverse order and prints their results" {
    run_program 10 join_demo
    assert_success
    assert_output - <<'EOF2'
join outside a task: Operation not permitted
main scheduled workers 1, 2 and 3
main joins NULL: Invalid argument
main joins itself: Resource deadlock avoided
main joins worker 3 (done: no)
worker 1 runs
worker 2 runs
worker 3 runs
main joined worker 3: 3's result
main joins worker 2 (done: yes)
main joined worker 2: 2's result
main joins worker 1 (done: yes)
main joined worker 1: 1's result
main ends
event_loop returned 0
EOF2
}

@test "exercise 3.5: join_demo leaks no task and reads no freed record (valgrind)" {
    run_under_valgrind 60 join_demo
    assert_success
    assert_line "main joined worker 3: 3's result"
    assert_line "event_loop returned 0"
}

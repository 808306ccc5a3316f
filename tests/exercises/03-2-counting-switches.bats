#!/usr/bin/env bats
# Exercise 3.2: Counting switches.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

setup() {
    run_program 10 spawn_order
}

@test "exercise 3.2: spawn_order prints one line per pass on standard error: 4, 5 and 3 switches" {
    assert_success
    assert_equal "$stderr" "pass 1: 4 switches
pass 2: 5 switches
pass 3: 3 switches"
}

@test "exercise 3.2: spawn_order's standard output is the chapter's transcript, unchanged" {
    assert_success
    assert_output - <<'EOF2'
await outside a task: Operation not permitted
main starts
main scheduled A
main scheduled B
main awaits a request of unknown kind: Invalid argument
main starts a loop inside a task: Operation not permitted
main sees A done: no
main ends
A starts
A scheduled C
A scheduled D
A scheduled E
A ends
B runs
B sees A done: yes, its stack freed: yes
C runs
D runs
E runs
event_loop returned 0
A is done: yes, its result: A's result
EOF2
}

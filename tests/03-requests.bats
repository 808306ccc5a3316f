#!/usr/bin/env bats
# Chapter 3: requests, the run queue, schedule() and who runs when.
# Every test runs build/stageN/bin/spawn_order, whose output is a transcript of the
# order in which the loop ran its tasks. Each test pins one rule of the seed's loop.
load helpers
bats_require_minimum_version 1.5.0

# Only standard output is the transcript: a sanitizer build may warn on standard error.
setup() {
    run_program 10 spawn_order
}

@test "spawn_order prints the whole schedule in the seed's order and exits with 0" {
    assert_success
    assert_output - <<'EOF'
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
EOF
}

@test "await outside a task returns -EPERM before any loop runs" {
    assert_line --index 0 "await outside a task: Operation not permitted"
}

@test "Schedule resumes the requester first: main runs to its end before A starts" {
    # The seed: task_queue.insert(0, (thread, t)). Pushing the requester to the back
    # instead would let A start right after "main starts".
    assert_before "main scheduled A" "A starts"
    assert_before "main scheduled B" "A starts"
    assert_before "main ends" "A starts"
}

@test "Schedule resumes the requester first in any task: A schedules C, D, E before they run" {
    assert_before "A scheduled C" "A scheduled D"
    assert_before "A scheduled E" "A ends"
    assert_before "A ends" "C runs"
}

@test "a new task runs after every task already queued: B (queued by main) before C (queued by A)" {
    # The seed: task_queue.append((t, None)). Putting new tasks at the head would run
    # C, the newest, before B.
    assert_before "A ends" "B runs"
    assert_before "B runs" "C runs"
}

@test "tasks scheduled one after another run in that order (FIFO among siblings)" {
    assert_before "C runs" "D runs"
    assert_before "D runs" "E runs"
}

@test "a request of unknown kind returns -EINVAL and the task goes on" {
    # The seed raises RuntimeError in the loop and drops the task; ours answers with an error.
    assert_line "main awaits a request of unknown kind: Invalid argument"
    assert_before "main awaits a request of unknown kind: Invalid argument" "main ends"
}

@test "event_loop inside a task refuses with -EPERM" {
    assert_line "main starts a loop inside a task: Operation not permitted"
    refute_line "Y runs"
}

@test "a held handle outlives its task: result kept, stack freed as soon as it finishes" {
    assert_line "main sees A done: no"
    assert_line "B sees A done: yes, its stack freed: yes"
    assert_line "A is done: yes, its result: A's result"
    assert_success
}

@test "event_loop returns 0 only after every task has run" {
    assert_before "E runs" "event_loop returned 0"
    assert_success
}

@test "no task is leaked or freed twice (valgrind)" {
    run_under_valgrind 60 spawn_order
    assert_success
    assert_line "event_loop returned 0"
}

#!/usr/bin/env bats
# Chapter 15: waiting for a task. join_cases joins a finished task, a task three joiners
# wait for, joiners cancelled while they wait and after they were woken, a task whose
# holder lets go while a joiner waits, a cancelled task, and tries every join that must
# be refused (outside a task, NULL, another loop's task, itself, a ring). Its joined tasks
# end when main opens their gates, never on a timer, so its output is the same on every
# poller and under any load; each test below pins one rule.
load helpers

@test "join_cases prints every case in order and exits with 0" {
    run_program 10 join_cases
    assert_success
    assert_output - <<'EOF'
join outside a task: Operation not permitted
join a finished task: ok, "quick's result"
witness: runs after main's join, not during it
joiners 1, 2 and 3 start, to wait for slow
joiner 1: ok, "slow's result"
joiner 2: ok, "slow's result"
joiner 3: ok, "slow's result"
main cancels joiner 2: ok
main cancels joiner 3: ok
joiner 4 starts, to wait after them
joiner 2: Operation canceled; its task done: no
joiner 3: Operation canceled; its task done: no
joiner 1: ok, "slow's result"
joiner 4: ok, "slow's result"
canceller: cancels joiner 5, woken and not yet run: ok
joiner 5: ok, "brief's result"
joiner 5: its next sleep returned Operation canceled
main lets go of slow while joiner 6 waits for it
joiner 6: ok, "slow's result"
victim: its sleep returned Operation canceled, and it returns all the same
join a cancelled task: ok, "victim's result"; task_was_cancelled: yes
a task that returned: task_was_cancelled: no; after a cancel once it had finished: no
task_was_cancelled(NULL): no
join with a cancel pending: Operation canceled; slow done: no
join it again: ok, "slow's result"
join NULL: Invalid argument
join a task of another loop: Operation not permitted
join myself: Resource deadlock avoided
a ring: A joins B, B joins C, and C joins A
C joins A: Resource deadlock avoided
B joined C: ok, "C's result"
A joined B: ok, "B's result"
main joined A: ok, "A's result"
event_loop returned 0; tasks still running: 0
EOF
}

@test "joining a finished task returns its result at once, without giving up the turn" {
    run_program 10 join_cases
    # the line is printed in two halves around the join: a runnable witness that ran
    # during the join would have printed in the middle of it
    assert_line "join a finished task: ok, \"quick's result\""
    assert_before "join a finished task: ok, \"quick's result\"" \
                  "witness: runs after main's join, not during it"
}

@test "three joiners of one task all wake when it ends, oldest first, each with its result" {
    run_program 10 join_cases
    assert_before "joiners 1, 2 and 3 start, to wait for slow" "joiner 1: ok, \"slow's result\""
    assert_before "joiner 1: ok, \"slow's result\"" "joiner 2: ok, \"slow's result\""
    assert_before "joiner 2: ok, \"slow's result\"" "joiner 3: ok, \"slow's result\""
}

@test "joiners cancelled while they wait leave at once; the others, and one that came after, still wake in order" {
    run_program 10 join_cases
    local cancelled=("${lines[@]:7:7}")
    assert_equal "${cancelled[*]}" "main cancels joiner 2: ok main cancels joiner 3: ok joiner 4 starts, to wait after them joiner 2: Operation canceled; its task done: no joiner 3: Operation canceled; its task done: no joiner 1: ok, \"slow's result\" joiner 4: ok, \"slow's result\""
}

@test "a joiner woken by its task's end and cancelled before it runs gets the result; its next wait is cancelled" {
    run_program 10 join_cases
    assert_before "canceller: cancels joiner 5, woken and not yet run: ok" \
                  "joiner 5: ok, \"brief's result\""
    assert_before "joiner 5: ok, \"brief's result\"" \
                  "joiner 5: its next sleep returned Operation canceled"
}

@test "the loop holds a joined task: its holder may let go while a joiner waits" {
    # Without the loop's hold the record is freed when slow ends, before joiner 6 reads
    # it; the valgrind test below (and make check's AddressSanitizer) then fail too.
    run_program 10 join_cases
    assert_before "main lets go of slow while joiner 6 waits for it" \
                  "joiner 6: ok, \"slow's result\""
}

@test "a cancelled task is joined like any other; task_was_cancelled says yes only for a task cancel() reached before it ended" {
    run_program 10 join_cases
    assert_before "victim: its sleep returned Operation canceled, and it returns all the same" \
                  "join a cancelled task: ok, \"victim's result\"; task_was_cancelled: yes"
    assert_line "a task that returned: task_was_cancelled: no; after a cancel once it had finished: no"
    assert_line "task_was_cancelled(NULL): no"
}

@test "a join with a cancel pending returns ECANCELED at once; the task goes on and can be joined again" {
    run_program 10 join_cases
    assert_before "join with a cancel pending: Operation canceled; slow done: no" \
                  "join it again: ok, \"slow's result\""
}

@test "task_join refuses outside a task and another loop's task (EPERM), NULL (EINVAL) and itself (EDEADLK)" {
    run_program 10 join_cases
    assert_line "join outside a task: Operation not permitted"
    assert_line "join NULL: Invalid argument"
    assert_line "join a task of another loop: Operation not permitted"
    assert_line "join myself: Resource deadlock avoided"
}

@test "a ring of joiners is refused where it would close (EDEADLK); the others then wake in turn" {
    run_program 10 join_cases
    local ring=("${lines[@]:28:5}")
    assert_equal "${ring[*]}" "a ring: A joins B, B joins C, and C joins A C joins A: Resource deadlock avoided B joined C: ok, \"C's result\" A joined B: ok, \"B's result\" main joined A: ok, \"A's result\""
}

@test "every task of join_cases ends, and the loop ends with none left waiting" {
    run_program 10 join_cases
    assert_success
    assert_equal "${lines[-1]}" "event_loop returned 0; tasks still running: 0"
}

@test "join_cases leaks no task and touches no freed memory (valgrind)" {
    run_under_valgrind 60 join_cases
    assert_success
    assert_line "event_loop returned 0; tasks still running: 0"
}

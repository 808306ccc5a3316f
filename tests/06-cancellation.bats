#!/usr/bin/env bats
# Chapter 6: cancellation. cancel_demo is the seed's cancellation demo, which must now
# print "Task was cancelled!" and its cleanup before the demo ends (the seed drops the
# task: NOTES #1). cancel_cases cancels a finished task, a sleeper twice, a task waiting
# on a pipe, a task that catches the cancellation, a task that has not started, itself,
# and NULL; each test below pins one of those lines.
load helpers

# count_lines PREFIX: how many output lines start with PREFIX.
count_lines() {
    local line n=0
    for line in "${lines[@]}"; do
        [[ "$line" == "$1"* ]] && n=$(( n + 1 ))
    done
    echo "$n"
}

run_cases() {
    local start
    start=$(now_ms)
    run_program 20 cancel_cases
    CASES_MS=$(( $(now_ms) - start ))
}

teardown() {
    if [ -n "${DEMO_PID:-}" ]; then
        kill -CONT "$DEMO_PID" 2>/dev/null || true
        kill "$DEMO_PID" 2>/dev/null || true
        wait "$DEMO_PID" 2>/dev/null || true
    fi
}

@test "cancel_demo prints the seed's transcript, with the cancellation and cleanup in place" {
    local start elapsed
    start=$(now_ms)
    run_program 20 cancel_demo
    elapsed=$(( $(now_ms) - start ))
    assert_success
    assert_output - <<'EOF'

--- Cancellation Demo ---
Starting a long-running task that will be cancelled
Long-running task started
Long-running task iteration 1
Long-running task iteration 2
Long-running task iteration 3
Cancelling the task...
Task was cancelled!
Long-running task cleanup
Cancellation demo finished
EOF
    (( elapsed >= 3900 )) || fail "cancel_demo took ${elapsed} ms; its sleeps add up to 4 s"
    (( elapsed < 10000 )) || fail "cancel_demo took ${elapsed} ms; it should take about 4 s"
}

@test "cancel_demo: a task woken but not yet run when cancelled never sees its wake-up" {
    # Stop the whole process from 2.5 s to 3.5 s: when it continues, main's 3 s timer
    # and the task's third 1 s timer are both due in the same pass. Main (the earlier
    # deadline) runs first and cancels a task that is already runnable; that task's
    # sleep must still return -ECANCELED, so "iteration 4" must not appear.
    require_program cancel_demo
    local out="$BATS_TEST_TMPDIR/demo.out"
    "$BIN/cancel_demo" > "$out" 2>&1 3>&- &
    DEMO_PID=$!
    sleep 2.5
    kill -STOP "$DEMO_PID"
    sleep 1
    kill -CONT "$DEMO_PID"
    local status=0
    wait "$DEMO_PID" || status=$?
    DEMO_PID=
    [ "$status" -eq 0 ] || fail "cancel_demo exited with $status; output: $(cat "$out")"
    run cat "$out"
    refute_line "Long-running task iteration 4"
    assert_before "Cancelling the task..." "Task was cancelled!"
    assert_before "Task was cancelled!" "Long-running task cleanup"
    assert_before "Long-running task cleanup" "Cancellation demo finished"
}

@test "cancel_cases prints every case in order and exits with 0" {
    run_cases
    assert_success
    assert_output - <<'EOF'
cancel a finished task: ok, result still "quick's result"
cancel twice: ok, ok
twice: sleep returned Operation canceled
cancel a task waiting on a pipe: ok
reader: its wait for the pipe returned Operation canceled
stubborn: first sleep returned Operation canceled, carries on
stubborn: second sleep returned ok
cancel a task that has not run yet: ok
busy: runs before it ever waits
busy: its first wait returned Operation canceled
cancel myself: ok
my next sleep returns Operation canceled
and the one after that ok
cancel NULL: Invalid argument
EOF
}

@test "cancelling a finished task is ok, and its result can still be read" {
    run_cases
    assert_line 'cancel a finished task: ok, result still "quick'"'"'s result"'
}

@test "cancelling twice is one cancellation: ok, ok, and the sleeper wakes exactly once" {
    run_cases
    # The requester is resumed first: both cancels return before the sleeper runs.
    assert_before "cancel twice: ok, ok" "twice: sleep returned Operation canceled"
    [ "$(count_lines "twice: ")" -eq 1 ] || fail "the sleeper woke more than once: $output"
}

@test "a task waiting on a file descriptor is unwatched and its wait returns ECANCELED" {
    run_cases
    assert_before "cancel a task waiting on a pipe: ok" \
                  "reader: its wait for the pipe returned Operation canceled"
    [ "$(count_lines "reader: ")" -eq 1 ] || fail "the reader woke more than once: $output"
}

@test "a task may catch the cancellation: its next sleep returns ok" {
    run_cases
    assert_before "stubborn: first sleep returned Operation canceled, carries on" \
                  "stubborn: second sleep returned ok"
}

@test "a task cancelled before it starts runs until its first wait, which fails" {
    run_cases
    assert_before "cancel a task that has not run yet: ok" "busy: runs before it ever waits"
    assert_before "busy: runs before it ever waits" \
                  "busy: its first wait returned Operation canceled"
}

@test "cancelling myself: ok; my next sleep fails; the one after that is ok again" {
    run_cases
    assert_before "cancel myself: ok" "my next sleep returns Operation canceled"
    assert_before "my next sleep returns Operation canceled" "and the one after that ok"
}

@test "cancel(NULL) returns EINVAL" {
    run_cases
    assert_line "cancel NULL: Invalid argument"
}

@test "cancelled timers and watches are removed: cancel_cases ends well under 5 s" {
    # Two tasks sleep 10 s and one waits for a pipe nobody writes to; all are cancelled.
    # A timer left in the heap would keep the loop alive for 10 s, a watch left in the
    # list forever (until the 20 s timeout kills it).
    run_cases
    assert_success
    (( CASES_MS < 5000 )) || fail "cancel_cases took ${CASES_MS} ms"
}

@test "no task is leaked and no freed memory is touched (valgrind)" {
    run_under_valgrind 60 cancel_cases
    assert_success
    assert_line "cancel NULL: Invalid argument"
}

#!/usr/bin/env bats
# Chapter 16: deadlines. deadline_cases walks through the rules of cancel scopes: a
# deadline on a sleep, a pipe and a recv; level triggering; nesting both ways; shields
# against cancel() and outer deadlines; a cancel and a deadline due at one wait; the
# move_on_after and fail_after idioms; misuse. A wait a deadline ended prints "(on time)"
# when it returned no earlier than the deadline and less than 0.5 s after it. The program
# runs once for the whole file (the tests read what it printed); "deadline_cases fd"
# runs the descriptor cases on every poller. bench_deadline prints one line.
load helpers

# run_cases: $output and $status of one run of deadline_cases, made by the first test
# that asks and kept for the others; CASES_MS is how long that run took.
run_cases() {
    local kept="$BATS_FILE_TMPDIR/cases"
    if [ ! -e "$kept.status" ]; then
        local start
        start=$(now_ms)
        run_program 30 deadline_cases
        echo $(( $(now_ms) - start )) > "$kept.ms"
        printf '%s\n' "$output" > "$kept.out"
        echo "$status" > "$kept.status"
    fi
    run cat "$kept.out"
    CASES_MS=$(cat "$kept.ms")
    [ "$(cat "$kept.status")" -eq 0 ] || fail "deadline_cases exited with $(cat "$kept.status"): $output"
}

@test "deadline_cases prints every rule's case in order and exits with 0" {
    run_cases
    assert_output - <<'EOF'
sleep 10 s, deadline 50 ms: Connection timed out (on time)
  leave: Connection timed out
sleep 20 ms, deadline 1 s: ok; leave: ok
wait for a silent pipe, deadline 50 ms: Connection timed out (on time)
recv on a silent socket, deadline 50 ms: Connection timed out (on time)
  a byte sent after it is received: yes
recv in a 10 s scope, cancelled: Operation canceled; leave: ok
join a sleeping task, deadline 50 ms: Connection timed out (on time)
  the sleeper still sleeps: yes
  cancelled and joined: ok; cancelled: yes
after the deadline: sleep 0.2 s: Connection timed out
  a yield: Connection timed out; leave: Connection timed out
  outside the scope, a yield: ok
inner 20 ms in outer 100 ms: Connection timed out (on time)
  leave inner: Connection timed out; sleep 10 ms: ok
  sleep 10 s: Connection timed out (on time)
  leave outer: Connection timed out
inner 10 s in outer 50 ms: Connection timed out (on time)
  leave inner: ok; a yield: Connection timed out
  leave outer: Connection timed out
a shield in a 50 ms scope: sleep 0.1 s: ok (on time)
  leave the shield: ok; a yield: Connection timed out
cleanup after it, shielded for 50 ms: Connection timed out (on time)
  leave the cleanup: Connection timed out; the outer: Connection timed out
cancelled in a shield: sleep 0.1 s: ok (on time)
  still in it, a yield: ok; leave: ok
  a yield: Operation canceled; another: ok
cancelled, and past the deadline: Operation canceled, then Connection timed out
  leave: Connection timed out
move_on_after 50 ms: no greeting, going on
fail_after 50 ms: Connection timed out
leave the outer first: Invalid argument; inner, outer: ok, ok
enter for -1 s: Invalid argument; NaN: Invalid argument; NULL: Invalid argument
outside a task: enter Operation not permitted, leave Operation not permitted
EOF
}

@test "a deadline ends a sleep longer than itself, never early, and spares a shorter one" {
    run_cases
    assert_line "sleep 10 s, deadline 50 ms: Connection timed out (on time)"
    assert_line "  leave: Connection timed out"
    assert_line "sleep 20 ms, deadline 1 s: ok; leave: ok"
    # no 10 s sleep outlived its deadline: the whole run is its short waits
    (( CASES_MS < 5000 )) || fail "deadline_cases took ${CASES_MS} ms; its waits add up to under 1 s"
}

@test "a deadline ends waits on a pipe and a recv that never become ready, on every poller" {
    local poller
    for poller in select poll epoll io_uring; do
        [ "$poller" = io_uring ] && [ -n "$(ASYNC_POLLER=io_uring uring_refusal)" ] && continue
        ASYNC_POLLER=$poller run_program 10 deadline_cases fd
        assert_success
        assert_output "wait for a silent pipe, deadline 50 ms: Connection timed out (on time)
recv on a silent socket, deadline 50 ms: Connection timed out (on time)
  a byte sent after it is received: yes
recv in a 10 s scope, cancelled: Operation canceled; leave: ok"
    done
}

@test "once its deadline has passed, every wait in the scope fails at once until it is left" {
    run_cases
    assert_line "after the deadline: sleep 0.2 s: Connection timed out"
    assert_line "  a yield: Connection timed out; leave: Connection timed out"
    assert_line "  outside the scope, a yield: ok"
}

@test "nested scopes: the sooner deadline wins, inside the inner and after it is left" {
    run_cases
    assert_line "inner 20 ms in outer 100 ms: Connection timed out (on time)"
    assert_line "  leave inner: Connection timed out; sleep 10 ms: ok"
    assert_line "  sleep 10 s: Connection timed out (on time)"
    assert_line "inner 10 s in outer 50 ms: Connection timed out (on time)"
    assert_line "  leave inner: ok; a yield: Connection timed out"
}

@test "a shield keeps cancel() and the outer deadline out until it is left; its own still applies" {
    run_cases
    assert_line "a shield in a 50 ms scope: sleep 0.1 s: ok (on time)"
    assert_line "  leave the shield: ok; a yield: Connection timed out"
    assert_line "cleanup after it, shielded for 50 ms: Connection timed out (on time)"
    assert_line "cancelled in a shield: sleep 0.1 s: ok (on time)"
    assert_line "  still in it, a yield: ok; leave: ok"
    assert_line "  a yield: Operation canceled; another: ok"
}

@test "a cancel and a passed deadline at one wait: the cancel first, the deadline at the next" {
    run_cases
    assert_line "cancelled, and past the deadline: Operation canceled, then Connection timed out"
    assert_line "recv in a 10 s scope, cancelled: Operation canceled; leave: ok"
}

@test "move_on_after goes on, fail_after fails, and misuse is refused" {
    run_cases
    assert_line "move_on_after 50 ms: no greeting, going on"
    assert_line "fail_after 50 ms: Connection timed out"
    assert_line "leave the outer first: Invalid argument; inner, outer: ok, ok"
    assert_line "enter for -1 s: Invalid argument; NaN: Invalid argument; NULL: Invalid argument"
    assert_line "outside a task: enter Operation not permitted, leave Operation not permitted"
    refuses_with_usage deadline_cases "usage: deadline_cases \[fd\]" "all" "fd fd"
}

@test "bench_deadline prints one deadline line; bad arguments get the usage line" {
    run_program 30 bench_deadline 200
    assert_success
    assert_output --regexp '^deadline rounds=200 ns_per_wait=[0-9.]+ ns_per_wait_with_deadline=[0-9.]+$'
    refuses_with_usage bench_deadline "usage: bench_deadline ROUNDS*" "" "0" "many 2"
}

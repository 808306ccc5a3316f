#!/usr/bin/env bats
# Exercise 3.3: A request to yield.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 3.3: yield_turns: two printers that yield take turns, line by line" {
    run_program 10 yield_turns
    assert_success
    assert_output - <<'EOF2'
A 1
B 1
A 2
B 2
A 3
B 3
A 4
B 4
A 5
B 5
EOF2
}

@test "exercise 3.3: yield_turns --spin: a task yielding in a loop still lets the printer print" {
    # A yield that resumes the yielder first would spin forever: killed after 10 s (124).
    run_program 10 yield_turns --spin
    assert_success
    assert_output - <<'EOF2'
B 1
B 2
B 3
B 4
B 5
main yielded 6 times
EOF2
}

@test "exercise 3.3: yield_turns refuses an unknown argument with status 2" {
    run_program 10 yield_turns --bogus
    assert_failure 2
}

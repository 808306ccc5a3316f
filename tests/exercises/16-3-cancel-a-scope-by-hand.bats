#!/usr/bin/env bats
# Exercise 16.3: Cancel a scope by hand.
# kind: code
load ../helpers

@test "exercise 16.3: scope_cancel ends the waits of a scope and those inside it, but not behind a shield" {
    local start
    start=$(now_ms)
    run_program 10 scope_cancel
    assert_success
    assert_output "cancel my scope: ok; a 10 s sleep: Connection timed out
  leave: Connection timed out
cancel the outer from the inner: ok; a yield: Connection timed out
  leave the inner: ok; a yield: Connection timed out
  leave the outer: Connection timed out
a shield between: a yield: ok; after it: Connection timed out
a scope I am not in: Invalid argument; NULL: Invalid argument"
    (( $(now_ms) - start < 2000 )) || fail "scope_cancel took $(( $(now_ms) - start )) ms"
}

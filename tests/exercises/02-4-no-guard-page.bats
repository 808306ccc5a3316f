#!/usr/bin/env bats
# Exercise 2.4: Without the guard page.
# kind: break (stack_allocate no longer calls mprotect; exactly these tests of chapter 2 must fail (chapter 1 has no coroutines))
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 2.4: only the guard-page test fails" {
    run chapter_tests_failing 2 2
    assert_output - <<'EOF2'
02-tasks.bats: turns --overflow: overflowing a stack dies at once on the guard page (SIGSEGV)
EOF2
}

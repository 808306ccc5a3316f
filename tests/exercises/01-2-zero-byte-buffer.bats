#!/usr/bin/env bats
# Exercise 1.2: A buffer of one byte, and of none.
# kind: break (recv is given room for zero bytes; exactly the three tests that expect an echo must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 1.2: with room for nothing, the three tests that expect an echo fail, and no other" {
    run chapter_tests_failing 1
    assert_output - <<'EOF2'
01-waiting-is-the-work.bats: blocking_echo echoes a line back and says who connected and when they left
01-waiting-is-the-work.bats: blocking_echo echoes 200 KiB of arbitrary bytes back exactly
01-waiting-is-the-work.bats: a second client stalls while the first is connected, and is served after it leaves
EOF2
}

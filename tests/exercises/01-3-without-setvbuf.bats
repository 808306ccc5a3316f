#!/usr/bin/env bats
# Exercise 1.3: Without setvbuf.
# kind: break (the setvbuf line is deleted; exactly the four tests that start a server must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 1.3: without setvbuf, the four tests that start a server fail, and no other" {
    run chapter_tests_failing 1
    assert_output - <<'EOF2'
01-waiting-is-the-work.bats: blocking_echo echoes a line back and says who connected and when they left
01-waiting-is-the-work.bats: blocking_echo echoes 200 KiB of arbitrary bytes back exactly
01-waiting-is-the-work.bats: a second client stalls while the first is connected, and is served after it leaves
01-waiting-is-the-work.bats: a port that is already taken is refused with exit status 1
EOF2
}

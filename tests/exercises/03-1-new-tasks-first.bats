#!/usr/bin/env bats
# Exercise 3.1: New tasks first.
# kind: break (new tasks go to the front of the run queue; exactly these tests of chapters 1-3 must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 3.1: the transcript, FIFO and held-handle tests of chapter 3 fail, and no other" {
    run chapter_tests_failing 3 3
    assert_output - <<'EOF2'
03-requests.bats: spawn_order prints the whole schedule in the seed's order and exits with 0
03-requests.bats: a new task runs after every task already queued: B (queued by main) before C (queued by A)
03-requests.bats: tasks scheduled one after another run in that order (FIFO among siblings)
03-requests.bats: a held handle outlives its task: result kept, stack freed as soon as it finishes
EOF2
}

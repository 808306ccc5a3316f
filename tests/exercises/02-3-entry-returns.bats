#!/usr/bin/env bats
# Exercise 2.3: What if coroutine_entry returned?
# kind: break (coroutine_entry returns with uc_link NULL, so the process exits when the first coroutine finishes; exactly these tests of chapter 2 must fail (chapter 1 has no coroutines))
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 2.3: every test that waits for the total line fails, and no other" {
    run chapter_tests_failing 2 2
    assert_output - <<'EOF2'
02-tasks.bats: turns 3 2: the tasks take turns, one step each, in creation order
02-tasks.bats: turns 10000 3: ten thousand tasks live at once, all created and finished
02-tasks.bats: turns 1000 1 100: stacks are given back (100,000 tasks, far above vm.max_map_count/2)
02-tasks.bats: valgrind: no leaks, no invalid accesses, and it knows about the task stacks
02-tasks.bats: turns --overflow 32: a task may use half its stack
EOF2
}

@test "exercise 2.3: turns 3 2 prints all six steps, no total line, and exits with status 0" {
    run_program 10 turns 3 2
    assert_success
    assert_equal "$output" "task 1: step 1
task 2: step 1
task 3: step 1
task 1: step 2
task 2: step 2
task 3: step 2"
}

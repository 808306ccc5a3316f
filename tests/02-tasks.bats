#!/usr/bin/env bats
# Chapter 2: tasks with their own stacks, taking turns (build/stageN/bin/turns).
load helpers
bats_require_minimum_version 1.5.0

setup() {
    require_program turns
}

@test "turns 3 2: the tasks take turns, one step each, in creation order" {
    run --separate-stderr "$BIN/turns" 3 2
    assert_success
    assert_equal "$output" "task 1: step 1
task 2: step 1
task 3: step 1
task 1: step 2
task 2: step 2
task 3: step 2
3 tasks created and finished"
}

@test "turns 10000 3: ten thousand tasks live at once, all created and finished" {
    run --separate-stderr timeout --kill-after=2 30 "$BIN/turns" 10000 3
    assert_success
    assert_output "10000 tasks created and finished"
}

@test "turns 1000 1 100: stacks are given back (100,000 tasks, far above vm.max_map_count/2)" {
    # Each guarded stack is two mappings. Without munmap the 32,755th stack fails at the
    # default vm.max_map_count of 65530; with it, 100 waves of 1,000 tasks all run.
    run --separate-stderr timeout --kill-after=2 60 "$BIN/turns" 1000 1 100
    assert_success
    assert_output "100000 tasks created and finished"
}

@test "valgrind: no leaks, no invalid accesses, and it knows about the task stacks" {
    command -v valgrind >/dev/null || skip "valgrind is not installed (apt-get install valgrind)"
    built_with_asan turns && skip "this build uses AddressSanitizer, which cannot run under valgrind"
    emulated turns && skip "this build runs under qemu-user, where valgrind cannot follow it"
    run_with_timeout 120 valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$BIN/turns" 25 3 2
    assert_success
    assert_line "50 tasks created and finished"
    assert_output --partial "ERROR SUMMARY: 0 errors"
    # Without VALGRIND_STACK_REGISTER valgrind warns "client switching stacks?".
    refute_output --partial "switching stacks"
}

@test "bad arguments print usage and exit 2" {
    for args in 0 -1 abc 3x "3 -1" "3 2 0" "1 2 3 4" "--overflow 0"; do
        # shellcheck disable=SC2086
        run "$BIN/turns" $args
        assert_failure 2
        assert_output --partial "usage: turns"
    done
}

@test "turns --overflow 32: a task may use half its stack" {
    run --separate-stderr "$BIN/turns" --overflow 32
    assert_success
    assert_equal "$output" "task 2: step 1
task 1: digging 32 KiB deep into a 64 KiB stack
task 1: back up safely
task 2: step 2
2 tasks created and finished"
}

@test "turns --overflow: overflowing a stack dies at once on the guard page (SIGSEGV)" {
    run --separate-stderr "$BIN/turns" --overflow 128
    # The neighbour never takes its second step: the digger dies in the act.
    assert_equal "$output" "task 2: step 1
task 1: digging 128 KiB deep into a 64 KiB stack"
    if built_with_asan turns; then
        # AddressSanitizer catches the fault on the guard page and names it.
        assert_failure
        [[ "$stderr" == *"stack-overflow"* ]] || fail "no ASan stack-overflow report: $stderr"
    else
        assert_equal "$status" 139
    fi
}

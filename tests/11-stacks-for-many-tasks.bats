#!/usr/bin/env bats
# Chapter 11: stacks for a hundred thousand tasks (build/stageN/bin/stacks_check,
# bench_spawn, bench_tasks).
load helpers

# the number of calls to each of the system calls in $2.. that "$BIN/$1 ARGS" makes,
# as "name=count" words, from strace -c (skips when strace cannot trace here)
syscall_counts() {
    local program=$1 args=$2
    shift 2
    command -v strace >/dev/null || skip "strace is not installed"
    emulated "$program" && skip "strace would count the emulator's calls"
    local log="$BATS_TEST_TMPDIR/strace.log"
    # shellcheck disable=SC2086
    strace -f -c -o "$log" -e "trace=$(IFS=,; echo "$*")" "$BIN/$program" $args \
        > /dev/null 2>&1 || skip "strace cannot trace here"
    for call in "$@"; do
        echo "$call=$(awk -v c="$call" '$NF == c { print $4 }' "$log" | head -1)"
    done
}

@test "stacks_check reuse: a task that follows a finished one runs on its stack" {
    run_program 10 stacks_check reuse
    assert_success
    assert_output "reuse: the second task ran on the first one's stack"
}

@test "stacks_check overflow-reused: overflowing a reused stack still dies on its guard page" {
    run_program 20 stacks_check overflow-reused
    if built_with_asan stacks_check; then
        [[ "$stderr" == *"stack-overflow"* ]] || fail "no ASan stack-overflow report: $stderr"
        return 0
    fi
    assert_equal "$status" 139      # 128 + SIGSEGV
    refute_output --partial "dug through"
}

@test "stacks_check overflow-unguarded: the canary stops a task that ran off an unguarded stack" {
    local budget
    budget=$(( $(cat /proc/sys/vm/max_map_count) / 4 ))
    run_program 60 stacks_check overflow-unguarded $(( budget + 100 ))
    refute_output --partial "dug through"
    if built_with_asan stacks_check; then
        # ASan sees the first write into the neighbour's red zones, before the canary
        [[ "$stderr" == *"ERROR: AddressSanitizer: stack-buffer-"* ]] \
            || fail "no ASan report of the write below the stack: $stderr"
        return 0
    fi
    assert_equal "$status" 134      # 128 + SIGABRT
    assert_equal "$stderr" "coroutine: a task ran past the bottom of its unguarded stack"
    refute_output --partial "dug through"
}

@test "spawn + run + exit maps no stack in the steady state" {
    run syscall_counts bench_spawn 20000 mmap munmap mprotect
    assert_success
    local mmap munmap mprotect
    mmap=$(sed -n 's/^mmap=//p' <<< "$output"); munmap=$(sed -n 's/^munmap=//p' <<< "$output")
    mprotect=$(sed -n 's/^mprotect=//p' <<< "$output")
    # 20,000 tasks: chapter 2's stacks made 20,000 of each; the pool makes one per batch
    # member at most (the first batch of 100), plus the program's own start-up.
    (( ${mmap:-0} < 400 )) || fail "mmap called ${mmap} times for 20,000 tasks"
    (( ${munmap:-0} < 400 )) || fail "munmap called ${munmap} times for 20,000 tasks"
    (( ${mprotect:-0} < 400 )) || fail "mprotect called ${mprotect} times for 20,000 tasks"
}

@test "bench_tasks holds 100,000 sleeping tasks, past vm.max_map_count / 2" {
    built_with_asan bench_tasks && skip "ASan's own mappings reach vm.max_map_count first"
    run_program 120 bench_tasks 100000
    assert_success
    assert_output --regexp "^tasks count=100000 resident_bytes_per_task=[0-9]+ mapped_bytes_per_task=[0-9]+ stop=asked$"
}

@test "stacks_check refuses anything but its three questions, with a usage line" {
    refuses_with_usage stacks_check "usage: stacks_check*" "" "reuse extra" "other" \
        "overflow-unguarded"
}

#!/usr/bin/env bats
# Chapter 11: stacks for a hundred thousand tasks, and the loop's own system calls
# (build/stageN/bin/stacks_check, calls_check, bench_spawn, bench_tasks, bench_yield, echo_server).
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
    # qemu-user adds a line of its own about the signal; the program's is the only other one
    assert_equal "$(grep -v '^qemu: uncaught target signal' <<< "$stderr")" \
        "coroutine: a task ran past the bottom of its unguarded stack"
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

@test "calls_check watch: a thousand waits on one pipe are all answered, and a wait after a plain close gets EBADF" {
    run_program 20 calls_check watch 1000
    assert_success
    assert_output "watch: waited on one pipe 1000 times: 1000 answered
watch: a wait after a plain close: Bad file descriptor"
}

@test "calls_check watch asks whether the pipe is open once, not once per wait" {
    run syscall_counts calls_check "watch 1000" fcntl
    assert_success
    local fcntl
    fcntl=$(sed -n 's/^fcntl=//p' <<< "$output")
    # one when the pipe is first watched, one after the plain close; chapter 10's made 1,001
    (( ${fcntl:-0} <= 3 )) || fail "fcntl called ${fcntl} times for 1,000 waits"
}

@test "calls_check spin: a task that yields without end lets a sleeper and a reader run" {
    run_program 60 calls_check spin
    assert_success
    assert_output "spin: the sleeper and the reader ran while a task yielded"
}

@test "yielding tasks that watch nothing make no select call" {
    run syscall_counts bench_yield "2 10000" pselect6 select
    assert_success
    local pselect6 select
    pselect6=$(sed -n 's/^pselect6=//p' <<< "$output"); select=$(sed -n 's/^select=//p' <<< "$output")
    (( ${pselect6:-0} + ${select:-0} == 0 )) \
        || fail "20,000 yields made ${pselect6:-0} pselect6 and ${select:-0} select calls"
}

@test "calls_check refuses anything but its two questions, with a usage line" {
    refuses_with_usage calls_check "usage: calls_check*" "" "watch" "watch 0" "spin extra" \
        "other"
}

@test "the echo server makes one recv per round trip and no fcntl per wait" {
    # io_uring (chapter 13) receives without recvfrom; chapter 13 counts what it calls
    [ "$(poller_in_use)" = io_uring ] && skip "the echo server makes no recvfrom on io_uring"
    trace_server echo_server bench_echo recvfrom,fcntl,sendto,pselect6 1 1000 -w 500
    assert_output --partial "round_trips=1000 "
    local recvfrom fcntl
    recvfrom=$(traced recvfrom)
    fcntl=$(traced fcntl)
    # 1,000 round trips, each after a pause of 0.5 ms in which the server has nothing to
    # read: this stage makes 1,001 recvfrom (the last reads the end of the stream), chapter
    # 10's made 2,001 (a try-first recv that fails with EAGAIN before every wait) and
    # 1,000 fcntl calls more
    (( recvfrom >= 1000 && recvfrom <= 1020 )) || fail "recvfrom called $recvfrom times for 1,000 round trips"
    (( fcntl <= 20 )) || fail "fcntl called $fcntl times for 1,000 round trips"
}

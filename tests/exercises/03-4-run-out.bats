#!/usr/bin/env bats
# Exercise 3.4: Running out.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

# Left alone, run_out makes about 32,700 tasks (vm.max_map_count is 65530 by default, two
# mappings a stack), which takes seconds of system time and 170 MB. The test caps the
# address space at 512 MiB instead, so the stacks run out at about 7,500 tasks: the same
# failure (mmap says ENOMEM), sooner. An ASan build reserves terabytes of shadow memory and
# cannot run under such a cap; it runs to the kernel's limit.
run_run_out() {
    require_program run_out
    if built_with_asan run_out; then
        run_program 120 run_out
    else
        run --separate-stderr bash -c 'ulimit -v 524288 && exec timeout --kill-after=2 60 "$0"' \
            "$BIN/run_out"
    fi
}

@test "exercise 3.4: run_out schedules thousands of tasks, then fails with ENOMEM, and the loop ends with 0" {
    run_run_out
    assert_success
    assert_equal "${#lines[@]}" 2
    assert_line --index 0 --regexp '^scheduled [0-9]+ tasks, then: Cannot allocate memory$'
    local count=${lines[0]#scheduled }
    count=${count%% *}
    (( count > 1000 )) || fail "only $count tasks before schedule failed"
    assert_line --index 1 "event_loop returned 0"
}

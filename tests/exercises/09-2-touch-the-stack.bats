#!/usr/bin/env bats
# Exercise 9.2: Touch the stack.
# kind: code
load ../helpers

# field NAME: the value of NAME= in $output
field() {
    sed -E "s/.*[ ]$1=([^ ]+).*/\\1/" <<< "$output"
}

@test "exercise 9.2: -t 32 makes every sleeping task resident by at least 32 KiB" {
    run_program 20 bench_tasks -t 32 500
    assert_success
    [[ "$output" =~ ^tasks\ count=500\ resident_bytes_per_task=[0-9]+\ mapped_bytes_per_task=[0-9]+\ stop=asked\ touched_kib=32$ ]] \
        || fail "not the line asked for: $output"
    (( $(field resident_bytes_per_task) >= 32768 )) || fail "too little resident: $output"
}

@test "exercise 9.2: touching the stack maps nothing new, and without -t nothing is touched" {
    run_program 20 bench_tasks -t 40 500
    assert_success
    local touched_mapped touched_resident
    touched_mapped=$(field mapped_bytes_per_task)
    touched_resident=$(field resident_bytes_per_task)
    run_program 20 bench_tasks 500
    assert_success
    [[ "$output" == *" touched_kib=0" ]] || fail "no touched_kib=0 without -t: $output"
    # the mapped figure is the same give or take a page of the process's own bookkeeping
    local difference=$(( touched_mapped - $(field mapped_bytes_per_task) ))
    (( difference < 4096 && difference > -4096 )) \
        || fail "touching changed what is mapped: $touched_mapped vs $output"
    (( touched_resident - $(field resident_bytes_per_task) >= 32768 )) \
        || fail "40 KiB touched, but resident grew by less than 32 KiB: $touched_resident vs $output"
}

@test "exercise 9.2: a touch larger than 48 KiB, or not a number, is refused with status 2" {
    refuses_with_usage bench_tasks "usage: bench_tasks \[-t KIB\] COUNT|max" \
        "-t 49 10" "-t x 10" "-t -1 10" "-t 8" "10 -t 8"
}

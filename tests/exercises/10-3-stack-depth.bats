#!/usr/bin/env bats
# Exercise 10.3: How deep did it go?
# kind: code
load ../helpers

# used_kib N: the figure on stack_depth's line for task N
used_kib() {
    sed -n "s/^task $1: used \([0-9][0-9]*\) KiB$/\1/p" <<< "$output"
}

@test "exercise 10.3: stack_depth prints one line per task, in order, in the form asked for" {
    run_program 20 stack_depth 0 4 16
    assert_success
    assert_equal "${#lines[@]}" 3
    [[ "${lines[0]}" =~ ^task\ 1:\ used\ [0-9]+\ KiB$ ]] || fail "line 1: ${lines[0]}"
    [[ "${lines[1]}" =~ ^task\ 2:\ used\ [0-9]+\ KiB$ ]] || fail "line 2: ${lines[1]}"
    [[ "${lines[2]}" =~ ^task\ 3:\ used\ [0-9]+\ KiB$ ]] || fail "line 3: ${lines[2]}"
}

@test "exercise 10.3: each task used at least the depth it went to, and at most 8 KiB more" {
    built_with_asan stack_depth && skip "AddressSanitizer's red zones make every frame larger"
    run_program 20 stack_depth 0 1 8 32 48
    assert_success
    local depths=(0 1 8 32 48) n used
    for n in 1 2 3 4 5; do
        used=$(used_kib "$n")
        [ -n "$used" ] || fail "no line for task $n: $output"
        (( used >= ${depths[n - 1]} && used <= ${depths[n - 1]} + 8 )) \
            || fail "task $n went ${depths[n - 1]} KiB deep and reports $used KiB"
    done
}

@test "exercise 10.3: deeper means more, and the same depth gives the same figure" {
    run_program 20 stack_depth 10 20 10 40
    assert_success
    (( $(used_kib 1) < $(used_kib 2) && $(used_kib 2) < $(used_kib 4) )) || fail "$output"
    assert_equal "$(used_kib 1)" "$(used_kib 3)"
}

@test "exercise 10.3: bad arguments print usage and exit 2" {
    refuses_with_usage stack_depth "usage: stack_depth KIB..." "" -1 49 abc "4 x"
}

#!/usr/bin/env bats
# Chapter 10: a context switch by hand (build/stageN/bin/switch_check, bench_switch).
load helpers

# the switch a program was built with, as it prints it: x86-64, aarch64 or ucontext
switch_of() {
    run_program 10 switch_check
    sed -n 's/^switch: //p' <<< "$output"
}

@test "switch_check: registers survive a hundred yields in two tasks at once" {
    run_program 10 switch_check
    assert_line "registers: ok"
}

@test "switch_check: each task keeps its own rounding mode across switches" {
    run_program 10 switch_check
    assert_line "rounding: ok"
}

@test "switch_check: a new task's stack is aligned to 16 bytes" {
    run_program 10 switch_check
    assert_line "alignment: ok"
}

@test "switch_check: the hand-written switch shares the signal mask; ucontext keeps one per task" {
    run_program 10 switch_check
    case "$(switch_of)" in
        x86-64|aarch64) assert_line "signal mask: shared by the tasks" ;;
        ucontext) assert_line "signal mask: per task" ;;
        *) fail "switch_check names no switch: $output" ;;
    esac
}

@test "switch_check: five lines, exit status 0 when every check passes, nothing on standard error" {
    run_program 10 switch_check
    assert_success
    assert_equal "${#lines[@]}" 5
    refute_output --partial FAILED
    assert_equal "$stderr" ""
}

@test "switch_check: the switch is the one the machine gets, unless ucontext was asked for" {
    local name machine
    name=$(switch_of)
    machine=$(elf_machine switch_check)
    case "$machine" in
        x86-64|aarch64) [[ "$name" == "$machine" || "$name" == ucontext ]] \
            || fail "a build for $machine says $name" ;;
        *) assert_equal "$name" ucontext ;;
    esac
    # make test sets EXPECT_SWITCH for the builds whose switch it chose
    if [ -n "${EXPECT_SWITCH:-}" ]; then
        assert_equal "$name" "$EXPECT_SWITCH"
    fi
}

@test "bench_switch 1000: one well-formed line, both kinds of switch timed" {
    run_program 20 bench_switch 1000
    assert_success
    assert_equal "${#lines[@]}" 1
    [[ "${lines[0]}" =~ ^switch\ name=(x86-64|aarch64|ucontext)\ rounds=1000\ ns_per_switch=[0-9]+\.[0-9]\ ns_per_resume_and_yield=[0-9]+\.[0-9]$ ]] \
        || fail "not a well-formed line: $output"
    assert_equal "$stderr" ""
}

@test "bench_switch: bad arguments print usage and exit 2" {
    refuses_with_usage bench_switch "usage: bench_switch ROUNDS" "" 0 -3 abc "10 20"
}

@test "valgrind: switch_check and bench_switch make no invalid access and leak nothing" {
    run_under_valgrind 120 switch_check
    # valgrind (3.19) does not carry an upward rounding mode into its SSE division, so
    # the rounding check fails under it and the program exits 1; 99 is valgrind's error
    [ "$status" -ne 99 ] || fail "valgrind found errors: $stderr"
    assert_line "registers: ok"
    assert_line "alignment: ok"
    [[ "$stderr" != *"switching stacks"* ]] || fail "valgrind lost track of a stack: $stderr"
    run_under_valgrind 120 bench_switch 2000
    assert_success
    [[ "$stderr" != *"switching stacks"* ]] || fail "valgrind lost track of a stack: $stderr"
}

@test "switch_check, bench_switch: an AddressSanitizer build prints nothing on standard error" {
    built_with_asan switch_check || skip "not an AddressSanitizer build (make check runs this)"
    run --separate-stderr timeout --kill-after=2 30 "$BIN/switch_check"
    assert_success
    [ "$(switch_of)" = ucontext ] || assert_equal "$stderr" ""
    run --separate-stderr timeout --kill-after=2 30 "$BIN/bench_switch" 2000
    assert_success
    [ "$(switch_of)" = ucontext ] || assert_equal "$stderr" ""
}

@test "no program of the stage asks for an executable stack" {
    command -v readelf >/dev/null || fail "readelf is not installed (binutils, with gcc)"
    local program stack
    for program in switch_check bench_switch turns echo_server; do
        require_program "$program"
        stack=$(readelf -lW "$(program_file "$program")" | awk '$1 == "GNU_STACK" { print $NF }')
        [ -n "$stack" ] || fail "$program has no GNU_STACK header"
        [[ "$stack" != *E* ]] || fail "$program asks for an executable stack ($stack)"
    done
}

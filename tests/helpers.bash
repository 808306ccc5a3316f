# tests/helpers.bash: loaded by every chapter's tests with `load helpers`.
# STAGE_DIR is set by `make test` (build/stageN, or your own build); programs are in $BIN.
# A test names every program it runs (run_program 5 turns ...): make test runs a chapter's
# test file again on a later stage only if a program it names is different there.
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

: "${STAGE_DIR:?STAGE_DIR is not set: run the tests with make test (STAGE=N STAGE_DIR=dir)}"
BIN="$STAGE_DIR/bin"

# require_program NAME: fail (not skip) if this build lacks a program the chapter defines:
# a student's build that is missing one has not done the chapter yet.
require_program() {
    [ -x "$BIN/$1" ] || fail "$BIN/$1 does not exist: this chapter's tests need it"
    local refusal
    refusal=$(uring_refusal)
    [ -z "$refusal" ] || skip "$refusal"
}

# uring_refusal: when the programs are to wait in io_uring (ASYNC_POLLER=io_uring, from
# chapter 13) and this kernel refuses it, why (as pollers says it); nothing otherwise.
uring_refusal() {
    [ "${ASYNC_POLLER:-}" = io_uring ] && [ -x "$BIN/pollers" ] || return 0
    "$BIN/pollers" 2>&1 >/dev/null | sed 's/^pollers: event_loop: /io_uring is refused here: /'
}

# run_with_timeout SECONDS COMMAND...: like bats' run, but the command is killed
# (status 124) if it takes longer than SECONDS.
run_with_timeout() {
    local seconds=$1; shift
    run timeout --kill-after=2 "$seconds" "$@"
}

# wait_for_port PORT [SECONDS]: wait until something accepts TCP connections on
# 127.0.0.1:PORT (default: up to 5 seconds). Fails if nothing does.
wait_for_port() {
    local port=$1 deadline=$(( SECONDS + ${2:-5} ))
    while (( SECONDS < deadline )); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "nothing listens on 127.0.0.1:$port" >&2
    return 1
}

# elapsed_ms COMMAND...: run COMMAND, print how many milliseconds it took.
elapsed_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}

# start_server PROGRAM ARGS...: start $BIN/PROGRAM in the background with its standard
# output in $SERVER_OUT and its standard error in $SERVER_ERR; wait until it prints "listening on HOST:PORT" and set
# SERVER_PID and SERVER_PORT. Pass port 0 so the kernel picks a free port. Fails after 5 s.
start_server() {
    local program=$1; shift
    require_program "$program"
    SERVER_OUT="$BATS_TEST_TMPDIR/server.out"
    SERVER_ERR="$BATS_TEST_TMPDIR/server.err"
    "$BIN/$program" "$@" > "$SERVER_OUT" 2> "$SERVER_ERR" 3>&- &
    SERVER_PID=$!
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )); do
        SERVER_PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\)$/\1/p' "$SERVER_OUT" | head -n 1)
        [ -n "$SERVER_PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "$program did not say where it listens; its output:" >&2
    cat "$SERVER_OUT" "$SERVER_ERR" >&2
    return 1
}

# stop_server: kill the server started by start_server (call it from teardown).
stop_server() {
    if [ -n "${SERVER_PID:-}" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
    if [ -n "${TRACER_PID:-}" ]; then
        wait "$TRACER_PID" 2>/dev/null || true
        TRACER_PID=
    fi
    if [ -n "${ATTACHED_PID:-}" ]; then
        kill "$ATTACHED_PID" 2>/dev/null || true
        wait "$ATTACHED_PID" 2>/dev/null || true
        ATTACHED_PID=
    fi
}

# cpu_ticks PID: user + system CPU time of a process so far, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# --- running the chapters' programs --------------------------------------------------
# `run --separate-stderr` needs bats 1.5 or later (Debian 12 has 1.8.2).
bats_require_minimum_version 1.5.0

# An AddressSanitizer build (make check) prints this once per process, on stderr, the
# first time a task switches stacks. It is not an error: the loop tells ASan about every
# switch (chapter 2), which is what the warning asks for.
ASAN_SWAPCONTEXT_WARNING="ASan doesn't fully support makecontext/swapcontext"

# run_program SECONDS PROGRAM [ARGS...]: run $BIN/PROGRAM, killed after SECONDS (status
# 124). $output and $lines hold its standard output only; $stderr holds its standard
# error without ASan's swapcontext warning, so a test can still insist on an empty one.
run_program() {
    local seconds=$1 program=$2
    shift 2
    require_program "$program"
    run --separate-stderr timeout --kill-after=2 "$seconds" "$BIN/$program" "$@"
    stderr=$(printf '%s\n' "$stderr" | grep -vF "$ASAN_SWAPCONTEXT_WARNING" || true)
}

# refuses_with_usage PROGRAM PATTERN ARGS...: run $BIN/PROGRAM once with each ARGS (one
# string, split into words; "" is no arguments at all) and check that every run exits
# with status 2 and prints a usage on standard error that matches the glob PATTERN
# (escape [ and ] in it: "usage: prog \[-v\] FILE").
refuses_with_usage() {
    local program=$1 pattern=$2 args
    shift 2
    for args in "$@"; do
        # shellcheck disable=SC2086
        run_program 5 "$program" $args
        assert_failure 2
        # shellcheck disable=SC2053
        [[ "$stderr" == $pattern ]] || fail "$program $args: $stderr"
    done
}

# built_with_asan PROGRAM: true if $BIN/PROGRAM was built with AddressSanitizer.
built_with_asan() {
    grep -q __asan_init "$BIN/$1"
}

# A build for another processor (make test's AArch64 stage) has, in $BIN, small scripts
# that run each program under qemu-user; the second line of each names the real program:
# "# elf: PATH". program_file PROGRAM prints the path of the program itself.
program_file() {
    local file="$BIN/$1"
    if [ "$(head -c 2 "$file")" = "#!" ]; then
        sed -n 's/^# elf: //p' "$file"
    else
        echo "$file"
    fi
}

# emulated PROGRAM: true if $BIN/PROGRAM runs under an emulator.
emulated() {
    [ "$(head -c 2 "$BIN/$1")" = "#!" ]
}

# elf_machine PROGRAM: the processor the program is built for, from its ELF header's
# e_machine field: x86-64 (62), aarch64 (183), or the number.
elf_machine() {
    local number
    number=$(od -An -tu2 -j 18 -N 2 "$(program_file "$1")" | tr -d ' ')
    case "$number" in
        62) echo x86-64 ;;
        183) echo aarch64 ;;
        *) echo "$number" ;;
    esac
}

# run_under_valgrind SECONDS PROGRAM [ARGS...]: run $BIN/PROGRAM under valgrind's memcheck;
# status 99 for any invalid access or any definite or indirect leak. Skipped for an ASan
# build (the two cannot run together; make check has ASan's own leak check instead).
# valgrind is in .ci/packages, so a machine without it fails rather than skips.
run_under_valgrind() {
    local seconds=$1 program=$2
    shift 2
    require_program "$program"
    command -v valgrind >/dev/null || fail "valgrind is not installed (it is in .ci/packages)"
    if built_with_asan "$program"; then
        skip "built with AddressSanitizer, which cannot run under valgrind"
    fi
    if emulated "$program"; then
        skip "runs under qemu-user, where valgrind cannot follow it"
    fi
    run --separate-stderr timeout --kill-after=2 "$seconds" valgrind -q --leak-check=full \
        --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --error-exitcode=99 "$BIN/$program" "$@"
}

# --- looking at what a program printed -------------------------------------------------
# line_of TEXT: the index in $lines of the first line that is exactly TEXT (fails if none).
line_of() {
    local i
    for i in "${!lines[@]}"; do
        if [ "${lines[$i]}" = "$1" ]; then
            echo "$i"
            return 0
        fi
    done
    return 1
}

# assert_before FIRST SECOND: both lines were printed, FIRST before SECOND.
assert_before() {
    local first second
    first=$(line_of "$1") || fail "no line '$1' in the output: $output"
    second=$(line_of "$2") || fail "no line '$2' in the output: $output"
    (( first < second )) || fail "'$1' (line $first) should come before '$2' (line $second)"
}

# now_ms: milliseconds since boot, from /proc/uptime: a clock that a wall-clock step does
# not move, good to 10 ms (enough for the wide-slack timing checks the tests make).
now_ms() {
    local seconds hundredths
    IFS=. read -r seconds hundredths _ < /proc/uptime
    echo $(( seconds * 1000 + 10#${hundredths:0:2} * 10 ))
}

# --- exercises ---------------------------------------------------------------------------
# Exercise tests live in tests/exercises/NN-K-name.bats and load this file as ../helpers.
# TESTS_DIR is the folder of the chapters' own tests.
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# chapter_tests_failing N [FIRST]: run the tests of chapters FIRST..N (default 1..N)
# against $STAGE_DIR and print, one per line, "FILE: NAME" for each test that fails
# (nothing if all pass). An exercise whose point is to break something checks this list:
# the change must break exactly the tests the answer names, no more and no fewer. An
# exercise that changes only a program of chapter N passes N N: no earlier chapter's
# tests run that program. Under make test, $CACHED_BATS stands in for bats: it answers
# from the results the run already has for the same programs (see runtests.py).
chapter_tests_failing() {
    local n=$1 first=${2:-1} file number
    local files=()
    for file in "$TESTS_DIR"/[0-9][0-9]-*.bats; do
        number=$(basename "$file"); number=$((10#${number%%-*}))
        (( number >= first && number <= n )) && files+=("$file")
    done
    local file_of_test=() name
    for file in "${files[@]}"; do
        while IFS= read -r name; do file_of_test+=("$(basename "$file"): $name"); done \
            < <(sed -n 's/^@test "\(.*\)" {$/\1/p' "$file")
    done
    STAGE_DIR="$STAGE_DIR" "${CACHED_BATS:-bats}" --tap "${files[@]}" 2>&1 | sed -n 's/^not ok \([0-9]*\) .*/\1/p' |
        while read -r number; do echo "${file_of_test[number - 1]}"; done
}

# free_port: a TCP port on 127.0.0.1 that nothing holds right now (for programs such as
# chapter 8's demo, which take a port but cannot be given 0). It comes from below the
# kernel's ephemeral range (ip_local_port_range), where the client sockets of tests running
# beside this one are never given their ports, and it is checked by binding it, which also
# refuses a port that a connection holds; a port that is merely not listened on may still
# be some connection's local port, and the server's bind would then fail.
free_port() {
    local low=32768 high port
    read -r low high < /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    (( low > 11024 )) || low=11024
    for _ in $(seq 50); do
        port=$(( 10000 + RANDOM % (low - 10000) ))
        if python3 -c 'import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$port" 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

# poller_in_use: the poller this build's programs wait in, as chapter 12's `pollers`
# prints it (ASYNC_POLLER, or the build's default); "select" for the stages before it.
poller_in_use() {
    if [ -x "$BIN/pollers" ]; then "$BIN/pollers"; else echo select; fi
}

# trace_server SERVER CLIENT CALLS CONNECTIONS ROUNDS [OPTION...]: start SERVER -q (an
# echo server) under strace -c, tracing the comma-separated system calls CALLS, drive it
# with CLIENT OPTION... 127.0.0.1 PORT CONNECTIONS ROUNDS (bench_echo, on epoll), and stop
# it; the client's result is left in $output, and traced NAME prints how often NAME was
# called. SERVER waits in $ASYNC_POLLER, as the caller sets it. Skips where strace cannot
# trace. Naming both programs in the call lets make test know what the test runs.
trace_server() {
    local server=$1 client=$2 calls=$3 connections=$4 rounds=$5
    shift 5
    command -v strace >/dev/null || skip "strace is not installed"
    emulated "$server" && skip "strace would count the emulator's calls"
    require_program "$client"
    require_program "$server"
    TRACE_LOG="$BATS_TEST_TMPDIR/strace.log"
    local out="$BATS_TEST_TMPDIR/server.out"
    strace -f -c -o "$TRACE_LOG" -e "trace=$calls" "$BIN/$server" -q 127.0.0.1 0 \
        > "$out" 2>&1 &
    local tracer=$! port="" deadline=$(( SECONDS + 5 ))
    while [ -z "$port" ] && (( SECONDS < deadline )); do
        port=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\)$/\1/p' "$out" | head -n 1)
        sleep 0.05
    done
    [ -n "$port" ] || { kill "$tracer"; skip "strace cannot trace here: $(cat "$out")"; }
    ASYNC_POLLER=epoll run_program 60 "$client" "$@" 127.0.0.1 "$port" "$connections" "$rounds"
    pkill -TERM -P "$tracer" "$server" || true
    wait "$tracer" || true
}

# traced NAME: how many calls of NAME the last trace_server counted (0 if none)
traced() {
    awk -v name="$1" '$NF == name { n = $4 } END { print n + 0 }' "$TRACE_LOG"
}

# start_server_traced "STRACE_OPTIONS" PROGRAM ARGS...: like start_server, but PROGRAM runs
# under strace with STRACE_OPTIONS (split into words: "-e trace=accept -e inject=..." to
# make a system call fail on purpose). SERVER_PID is the program's own process, so that
# /proc/$SERVER_PID is the server's and stop_server stops it (and with it the tracer).
# Skips where strace is missing or would trace an emulator instead of the program.
start_server_traced() {
    local options=$1 program=$2
    shift 2
    command -v strace >/dev/null || skip "strace is not installed"
    emulated "$program" && skip "strace would trace the emulator, not $program"
    require_program "$program"
    SERVER_OUT="$BATS_TEST_TMPDIR/server.out"
    SERVER_ERR="$BATS_TEST_TMPDIR/server.err"
    # shellcheck disable=SC2086
    strace -qq -o /dev/null $options "$BIN/$program" "$@" > "$SERVER_OUT" 2> "$SERVER_ERR" 3>&- &
    TRACER_PID=$!
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )); do
        SERVER_PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\)$/\1/p' "$SERVER_OUT" | head -n 1)
        SERVER_PID=$(pgrep -P "$TRACER_PID" | head -n 1)
        [ -n "$SERVER_PORT" ] && [ -n "$SERVER_PID" ] && return 0
        kill -0 "$TRACER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "$program did not say where it listens under strace; its output:" >&2
    cat "$SERVER_OUT" "$SERVER_ERR" >&2
    return 1
}

# attach_strace PID "STRACE_OPTIONS": attach strace to the running process PID and
# return once it is attached; ATTACHED_PID is the tracer (kill it to let go).
attach_strace() {
    local pid=$1 options=$2 log="$BATS_TEST_TMPDIR/attach.log"
    command -v strace >/dev/null || skip "strace is not installed"
    # shellcheck disable=SC2086
    strace -o /dev/null -p "$pid" $options 2> "$log" &
    ATTACHED_PID=$!
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )); do
        grep -q "attached" "$log" && return 0
        kill -0 "$ATTACHED_PID" 2>/dev/null || break
        sleep 0.05
    done
    skip "strace cannot attach here: $(cat "$log")"
}

# resident_kib PID: the process's resident memory now (VmRSS), in KiB.
resident_kib() {
    awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"
}

# open_descriptors PID: how many descriptors the process has open.
open_descriptors() {
    ls "/proc/$1/fd" | wc -l
}

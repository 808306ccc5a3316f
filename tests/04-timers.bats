#!/usr/bin/env bats
# Chapter 4, Timers: sleep_demo, timer_check and sleep_edges.

load helpers
bats_require_minimum_version 1.5.0

# A shared library that a test preloads into a program (LD_PRELOAD):
#  - it steps the wall clock (CLOCK_REALTIME and gettimeofday) an hour forward once the
#    program has run for half a second: a loop that kept its timers on the wall clock would
#    fire every one of them at once;
#  - it installs a SIGUSR1 handler that does nothing, so that the signal interrupts select()
#    with EINTR instead of killing the process.
# CLOCK_MONOTONIC passes through untouched.
setup_file() {
    local dir="$BATS_FILE_TMPDIR"
    cat > "$dir/shim.c" <<'EOF'
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static struct timespec started;

static long real_clock_gettime(clockid_t id, struct timespec *ts)
{
    return syscall(SYS_clock_gettime, id, ts);
}

static int wall_clock_has_jumped(void)
{
    struct timespec now;
    real_clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - started.tv_sec) * 1000000000L + (now.tv_nsec - started.tv_nsec)
           > 500000000L;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    int status = (int)real_clock_gettime(id, ts);
    if (status == 0 && id == CLOCK_REALTIME && wall_clock_has_jumped())
        ts->tv_sec += 3600;
    return status;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    struct timespec now;
    (void)tz;
    clock_gettime(CLOCK_REALTIME, &now);
    tv->tv_sec = now.tv_sec;
    tv->tv_usec = now.tv_nsec / 1000;
    return 0;
}

static void ignore(int signal)
{
    (void)signal;
}

__attribute__((constructor)) static void start(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = ignore;
    sigaction(SIGUSR1, &action, NULL);
    real_clock_gettime(CLOCK_MONOTONIC, &started);
}
EOF
    # the shim is built for the processor sleep_demo is built for (make test's AArch64
    # build runs under qemu-user, which loads the program's libraries, not its own)
    local cc=${CC:-cc}
    [ "$(elf_machine sleep_demo)" != aarch64 ] || cc=aarch64-linux-gnu-gcc
    $cc -shared -fPIC -o "$dir/shim.so" "$dir/shim.c"
}

# shim_env: the environment a program needs to run with the shim preloaded. A sanitizer
# build insists on being first in the list of libraries; the shim intercepts nothing the
# sanitizers care about, so tell them not to mind.
shim_env() {
    if emulated sleep_demo; then
        # qemu-user passes QEMU_SET_ENV's variables to the program, not to itself
        echo "QEMU_SET_ENV=LD_PRELOAD=$BATS_FILE_TMPDIR/shim.so"
    else
        echo "LD_PRELOAD=$BATS_FILE_TMPDIR/shim.so"
    fi
    echo "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
}

# stamp START: copy standard input to standard output, each line prefixed with the
# milliseconds since START (a value of ${EPOCHREALTIME/./}, in microseconds).
stamp() {
    local start=$1 line now
    while IFS= read -r line; do
        now=${EPOCHREALTIME/./}
        echo "$(( (now - start) / 1000 )) $line"
    done
}

# timed COMMAND...: run COMMAND (killed after 20 s) and write each line of its output,
# prefixed with the milliseconds since the start, to $TIMED; the last line is
# "MS exit STATUS".
timed() {
    TIMED="$BATS_TEST_TMPDIR/timed"
    local start=${EPOCHREALTIME/./}
    { timeout --kill-after=2 20 "$@"; echo "exit $?"; } | stamp "$start" > "$TIMED"
}

# at TEXT: the millisecond at which the line TEXT appeared in $TIMED.
at() {
    awk -v text="$1" '{ ms = $1; sub(/^[0-9]+ /, ""); if ($0 == text) { print ms; exit } }' "$TIMED"
}

# text_of_timed: the lines of $TIMED without their times.
text_of_timed() {
    sed 's/^[0-9]* //; s/^[0-9]*$//' "$TIMED"
}

expected_sleep_demo() {
    printf '%s\n' "" "--- Sleep Demo ---" "Start" "One" "Two" "End sleep demo" "exit 0"
}

# check_sleep_demo_times: One about 1 s after Start, Two about 2 s after, End about 3 s
# after. The times count from the line "Start", not from the command: a loaded
# machine (make check runs sanitized programs side by side) can take seconds to
# start a program, and that delay is not the timers' doing.
check_sleep_demo_times() {
    local start one two end last
    start=$(at Start); one=$(at One); two=$(at Two); end=$(at "End sleep demo")
    last=$(at "exit 0")
    one=$(( one - start )); two=$(( two - start )); end=$(( end - start ))
    last=$(( last - start ))
    echo "after Start: One at ${one} ms, Two at ${two} ms, End at ${end} ms, exit at ${last} ms"
    (( one >= 900 && one < 2000 ))
    (( two >= 1900 && two < 2950 ))
    (( end >= 2900 && last < 10000 ))
}

@test "sleep_demo prints the seed's lines in order: One after about 1 s, Two after about 2 s, the end after about 3 s" {
    require_program sleep_demo
    timed "$BIN/sleep_demo"
    cat "$TIMED"
    assert_equal "$(text_of_timed)" "$(expected_sleep_demo)"
    check_sleep_demo_times
}

@test "sleep_demo: a wall-clock step of an hour moves no timer" {
    require_program sleep_demo
    mapfile -t environment < <(shim_env)
    timed env "${environment[@]}" "$BIN/sleep_demo"
    cat "$TIMED"
    assert_equal "$(text_of_timed)" "$(expected_sleep_demo)"
    check_sleep_demo_times
}

@test "sleep_demo: signals interrupting select (EINTR) neither stop the loop nor wake a timer early" {
    require_program sleep_demo
    TIMED="$BATS_TEST_TMPDIR/timed"
    local fifo="$BATS_TEST_TMPDIR/fifo" start=${EPOCHREALTIME/./} pid status signals=0
    mkfifo "$fifo"
    stamp "$start" < "$fifo" > "$TIMED" &
    local reader=$!
    mapfile -t environment < <(shim_env)
    env "${environment[@]}" "$BIN/sleep_demo" > "$fifo" 3>&- &
    pid=$!
    # The shim installs the handler before main runs: wait for the first line, then
    # interrupt select every 20 ms until the program ends.
    until grep -q Start "$TIMED" || ! kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
    while kill -USR1 "$pid" 2>/dev/null; do
        signals=$((signals + 1))
        (( signals < 1000 )) || { kill "$pid"; fail "sleep_demo still runs after 1000 signals"; }
        sleep 0.02
    done
    wait "$pid" && status=0 || status=$?
    wait "$reader"
    echo "$(( (${EPOCHREALTIME/./} - start) / 1000 )) exit $status" >> "$TIMED"
    cat "$TIMED"
    echo "sent $signals signals"
    assert_equal "$(text_of_timed)" "$(expected_sleep_demo)"
    check_sleep_demo_times
    # About 150 signals on an idle machine; on a loaded one each kill and sleep takes
    # longer, so the bound only asks that the loop was interrupted many times.
    (( signals >= 20 ))
}

@test "timer_check: FIFO among equal deadlines, sorted pops after removals, no sleeper early" {
    require_program timer_check
    # Its standard error says how late the latest sleeper woke: not part of the check.
    run --separate-stderr timeout --kill-after=2 30 "$BIN/timer_check"
    echo "$stderr"
    assert_success
    assert_output "$(printf '%s\n' \
        "heap: 10000 equal deadlines popped in FIFO order" \
        "heap: random deadlines with removals popped in order" \
        "loop: 10000 of 10000 sleepers woke, in FIFO order, 0 early")"
}

@test "sleep_edges: EINVAL for negative and NaN, sleep(0) works, no early wake after work, a huge sleep neither overflows nor ends" {
    require_program sleep_edges
    run --separate-stderr timeout --kill-after=2 2.5 "$BIN/sleep_edges"
    # Still asleep when timeout(1) kills it: status 124.
    assert_equal "$status" 124
    assert_output "$(printf '%s\n' \
        "async_sleep(-1): Invalid argument" \
        "async_sleep(NAN): Invalid argument" \
        "async_sleep(0): slept" \
        "after 50 ms of work, async_sleep(0.1) lasted at least 0.1 s: yes" \
        "a task sleeps for 1e+300 seconds" \
        "its deadline is 73 years away")"
}

# tests/helpers.bash: loaded by every chapter's tests with `load helpers`.
# STAGE_DIR is set by `make test` (build/stageN, or your own build); programs are in $BIN.
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

: "${STAGE_DIR:?STAGE_DIR is not set: run the tests with make test (STAGE=N STAGE_DIR=dir)}"
BIN="$STAGE_DIR/bin"

# require_program NAME: fail (not skip) if this build lacks a program the chapter defines:
# a student's build that is missing one has not done the chapter yet.
require_program() {
    [ -x "$BIN/$1" ] || fail "$BIN/$1 does not exist: this chapter's tests need it"
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

# start_server PROGRAM ARGS...: start $BIN/PROGRAM in the background with its output in
# $BATS_TEST_TMPDIR/server.out; wait until it prints "listening on HOST:PORT" and set
# SERVER_PID and SERVER_PORT. Pass port 0 so the kernel picks a free port. Fails after 5 s.
start_server() {
    local program=$1; shift
    require_program "$program"
    SERVER_OUT="$BATS_TEST_TMPDIR/server.out"
    "$BIN/$program" "$@" > "$SERVER_OUT" 2>&1 3>&- &
    SERVER_PID=$!
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )); do
        SERVER_PORT=$(sed -n 's/.*listening on [^ ]*:\([0-9][0-9]*\)$/\1/p' "$SERVER_OUT" | head -n 1)
        [ -n "$SERVER_PORT" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "$program did not say where it listens; its output:" >&2
    cat "$SERVER_OUT" >&2
    return 1
}

# stop_server: kill the server started by start_server (call it from teardown).
stop_server() {
    if [ -n "${SERVER_PID:-}" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}

# cpu_ticks PID: user + system CPU time of a process so far, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

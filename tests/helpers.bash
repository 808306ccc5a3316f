# tests/helpers.bash: loaded by every chapter's tests with `load helpers`.
# STAGE_DIR is set by `make test` (build/stageN, or your own build); programs are in $BIN.
load '/usr/lib/bats/bats-support/load.bash'
load '/usr/lib/bats/bats-assert/load.bash'

: "${STAGE_DIR:?STAGE_DIR is not set: run the tests with make test (STAGE=N STAGE_DIR=dir)}"
BIN="$STAGE_DIR/bin"

# require_program NAME: skip the test (not fail) if this build has no such program yet.
require_program() {
    [ -x "$BIN/$1" ] || skip "$BIN/$1 does not exist in this build"
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

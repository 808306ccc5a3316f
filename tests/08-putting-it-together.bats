#!/usr/bin/env bats
# Chapter 8: the seed's demo program in C (build/stageN/bin/demo). The demo takes about
# 12 s, so it runs once, in setup_file, and every test looks at that one run.
load helpers
bats_require_minimum_version 1.5.0

# The seed's transcript as the book's loop prints it, with the server's port written as
# 7777 (the demo's default) and the client's port, which the kernel picks, as NNNNN.
# It differs from the seed's demo_output.txt in exactly two places, both fixes:
# "Server listening" now comes before "Client connecting" (NOTES 5), and "Task was
# cancelled!" and "Long-running task cleanup" appear where the task is cancelled (NOTES 1).
expected_transcript() {
    cat <<'EOF'
Starting async-from-scratch demos

--- Sleep Demo ---
Start
One
Two
End sleep demo

--- Socket Demo ---
Server listening on 127.0.0.1:7777
Client connecting to 127.0.0.1:7777
Client sending: Hello from the client!
New connection from 127.0.0.1:NNNNN
Received from 127.0.0.1:NNNNN: Hello from the client!
Client received: Hello from the client!
Client sending: This is a test message
Received from 127.0.0.1:NNNNN: This is a test message
Client received: This is a test message
Client sending: Goodbye!
Received from 127.0.0.1:NNNNN: Goodbye!
Client received: Goodbye!
Client finished sending messages
Connection closed from 127.0.0.1:NNNNN
Socket demo finished

--- Cancellation Demo ---
Starting a long-running task that will be cancelled
Long-running task started
Long-running task iteration 1
Long-running task iteration 2
Long-running task iteration 3
Cancelling the task...
Task was cancelled!
Long-running task cleanup
Cancellation demo finished

All demos completed successfully!
EOF
}


setup_file() {
    [ -x "$BIN/demo" ] || return 0          # each test reports the missing program
    DEMO_PORT=$(free_port)
    export DEMO_PORT
    local start end
    start=$(date +%s%N)
    timeout --kill-after=2 60 "$BIN/demo" "$DEMO_PORT" \
        > "$BATS_FILE_TMPDIR/demo.out" 2> "$BATS_FILE_TMPDIR/demo.err" 3>&-
    echo $? > "$BATS_FILE_TMPDIR/demo.status"
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 )) > "$BATS_FILE_TMPDIR/demo.ms"
}

setup() {
    require_program demo
}

# The demo's output with its ports normalised, as in expected_transcript.
normalised_output() {
    sed -E -e "s/127\.0\.0\.1:$DEMO_PORT\$/127.0.0.1:7777/" \
           -e 't' \
           -e 's/127\.0\.0\.1:[0-9]{1,5}/127.0.0.1:NNNNN/' \
        "$BATS_FILE_TMPDIR/demo.out"
}

@test "demo exits with status 0 and writes nothing to stderr" {
    run cat "$BATS_FILE_TMPDIR/demo.status"
    assert_output 0
    # An ASan build (make check) prints one warning about swapcontext; nothing else may appear.
    run grep -vF "$ASAN_SWAPCONTEXT_WARNING" "$BATS_FILE_TMPDIR/demo.err"
    assert_output ""
}

@test "demo prints the seed's transcript, with the book's two fixes, line for line" {
    run normalised_output
    assert_equal "$output" "$(expected_transcript)"
}

@test "the server listens before the client connects (seed NOTES 5)" {
    run grep -n -e '^Server listening' -e '^Client connecting' "$BATS_FILE_TMPDIR/demo.out"
    assert_line --index 0 --regexp ':Server listening on 127\.0\.0\.1:[0-9]+$'
    assert_line --index 1 --regexp ':Client connecting to 127\.0\.0\.1:[0-9]+$'
}

@test "the cancelled task reports and cleans up in place, before the demo moves on (NOTES 1)" {
    run sed -n '/^Cancelling the task/,$p' "$BATS_FILE_TMPDIR/demo.out"
    assert_line --index 0 "Cancelling the task..."
    assert_line --index 1 "Task was cancelled!"
    assert_line --index 2 "Long-running task cleanup"
    assert_line --index 3 "Cancellation demo finished"
    # Exactly once each: a lost or repeated cancellation shows up here.
    run grep -c -e '^Task was cancelled!$' -e '^Long-running task cleanup$' \
        "$BATS_FILE_TMPDIR/demo.out"
    assert_output 2
}

@test "one client connection serves all three messages (one client port throughout)" {
    run bash -c "grep -oE '^(New connection from|Received from|Connection closed from) 127\.0\.0\.1:[0-9]+' \
        '$BATS_FILE_TMPDIR/demo.out' | sed 's/.*://' | sort -u"
    assert_success
    assert_equal "${#lines[@]}" 1
    [ "${lines[0]}" != "$DEMO_PORT" ] || fail "the client's port is the server's port"
}

@test "the whole demo takes about 12 s: at least 11 s, under 30 s" {
    # 3 s of sleep demo + 5.1 s of socket demo + 4 s of cancellation demo = 12.1 s.
    local ms
    ms=$(cat "$BATS_FILE_TMPDIR/demo.ms")
    (( ms >= 11000 )) || fail "the demo took only $ms ms: some sleep ended early"
    (( ms < 30000 )) || fail "the demo took $ms ms"
}

@test "demo with a port that is not a number in range gets the usage line and status 2" {
    local arg
    for arg in abc 0 65536 "7777 extra"; do
        # shellcheck disable=SC2086
        run_program 5 demo $arg
        assert_failure 2
        [[ "$stderr" == *"usage: demo [PORT]"* ]] || fail "demo $arg: $stderr"
    done
}

# What misuse prints: every call refused with the error its contract in loop.h names.
expected_misuse() {
    cat <<'EOF'
outside a task:
event_loop(NULL, NULL)                       Invalid argument
schedule(nothing, NULL, NULL)                Operation not permitted
async_sleep(1)                               Operation not permitted
await_readable(0)                            Operation not permitted
await_writable(1)                            Operation not permitted
await_errored(0)                             Operation not permitted
cancel(NULL)                                 Operation not permitted
async_connect("127.0.0.1", 1)                Operation not permitted
async_accept(0, NULL)                        Operation not permitted
async_recv(0, &byte, 1)                      Operation not permitted
async_send(1, &byte, 1)                      Operation not permitted
async_close(0)                               Operation not permitted
task_current(): NULL
task_is_done(NULL): false, task_result(NULL): NULL
inside a task:
schedule(NULL, NULL, NULL)                   Invalid argument
event_loop(nothing, NULL) inside a task      Operation not permitted
async_sleep(-1)                              Invalid argument
async_sleep(NAN)                             Invalid argument
await_readable(-1)                           Bad file descriptor
await_writable(closed)                       Bad file descriptor
await_errored(closed)                        Bad file descriptor
cancel(NULL)                                 Invalid argument
fd_set_nonblocking(closed)                   Bad file descriptor
async_connect(NULL, 80)                      Invalid argument
async_connect("127.0.0.1", -1)               Invalid argument
async_listen("127.0.0.1", 70000, 8)          Invalid argument
async_listen("127.0.0.1", 0, -1)             Invalid argument
async_accept(closed, NULL)                   Bad file descriptor
async_accept(not_socket, NULL)               Socket operation on non-socket
async_recv(closed, &byte, 1)                 Bad file descriptor
async_recv(not_socket, NULL, 1)              Invalid argument
async_send(-1, &byte, 1)                     Bad file descriptor
async_send(not_socket, NULL, 1)              Invalid argument
async_recv(not_socket, &byte, SIZE_MAX)      Invalid argument
async_send(not_socket, &byte, SIZE_MAX)      Invalid argument
async_close(-1)                              Bad file descriptor
async_close(closed)                          Bad file descriptor
socket_local_endpoint(not_socket, &where)    Socket operation on non-socket
socket_local_endpoint(not_socket, NULL)      Invalid argument
event_loop returned 0; standard input is open; calls that did not fail: 0
EOF
}

@test "misuse: every public function called wrongly, or outside a task, returns an error" {
    run_program 10 misuse </dev/null
    assert_success
    assert_equal "$stderr" ""
    assert_equal "$output" "$(expected_misuse)"
}

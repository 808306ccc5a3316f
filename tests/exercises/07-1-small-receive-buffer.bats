#!/usr/bin/env bats
# Exercise 7.1: A 16-byte receive buffer.
# kind: break (echo_handler receives 16 bytes at a time, so the seed-exchange transcript of chapter 7 changes)
load ../helpers
bats_require_minimum_version 1.5.0

teardown() {
    stop_server
}

@test "exercise 7.1: the server logs each message in 16-byte pieces" {
    start_server echo_server 127.0.0.1 0
    run_program 10 echo_client 127.0.0.1 "$SERVER_PORT" "Hello from the client!"
    assert_success
    local deadline=$(( SECONDS + 5 ))
    while (( SECONDS < deadline )) && ! grep -q '^Connection closed from ' "$SERVER_OUT"; do
        sleep 0.05
    done
    run sed -n 's/^Received from [^ ]*: //p' "$SERVER_OUT"
    assert_output "Hello from the c
lient!"
}

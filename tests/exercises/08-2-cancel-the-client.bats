#!/usr/bin/env bats
# Exercise 8.2: Cancelling the client.
# kind: break (the client is cancelled mid-conversation; exactly the chapter-8 transcript test must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 8.2: the cancelled client reports it, and the handler sees a plain hang-up" {
    run_program 60 demo "$(free_port)"
    assert_success
    run sed -n '/^--- Socket Demo ---$/,/^Socket demo finished$/p' <<< "$output"
    refute_line "Client finished sending messages"
    refute_line --partial "Error handling client"
    assert_line --index 0 "--- Socket Demo ---"
    assert_line --index $(( ${#lines[@]} - 3 )) "Client error: Operation canceled"
    assert_line --index $(( ${#lines[@]} - 2 )) --regexp '^Connection closed from 127\.0\.0\.1:[0-9]+$'
    assert_line --index $(( ${#lines[@]} - 1 )) "Socket demo finished"
}

@test "exercise 8.2: only the transcript test of chapter 8 fails, and no other" {
    run chapter_tests_failing 8 8
    assert_output - <<'EOF2'
08-putting-it-together.bats: demo prints the seed's transcript, with the book's two fixes, line for line
EOF2
}

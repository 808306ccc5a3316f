#!/usr/bin/env bats
# Exercise 8.4: One task sends, another reads.
# kind: break (the client's lines interleave differently; exactly the chapter-8 transcript test must fail)
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 8.4: the sender finishes before the last echo is read, and every echo is read whole" {
    run_program 60 demo "$(free_port)"
    assert_success
    assert_line "Client received: Hello from the client!"
    assert_line "Client received: This is a test message"
    assert_line "Client received: Goodbye!"
    refute_line --partial "error"
    assert_before "Client sending: Goodbye!" "Client finished sending messages"
    assert_before "Client finished sending messages" "Client received: Goodbye!"
    assert_before "Client received: Goodbye!" "Socket demo finished"
}

@test "exercise 8.4: only the transcript test of chapter 8 fails, and no other" {
    run chapter_tests_failing 8 8
    assert_output - <<'EOF2'
08-putting-it-together.bats: demo prints the seed's transcript, with the book's two fixes, line for line
EOF2
}

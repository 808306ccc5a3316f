#!/usr/bin/env bats
# Exercise 2.5: A generator.
# kind: code
load ../helpers
bats_require_minimum_version 1.5.0

@test "exercise 2.5: generator prints 20 Fibonacci numbers and the tree's 20 keys in order" {
    run_program 10 generator
    assert_success
    assert_equal "$output" "fibonacci: 0 1 1 2 3 5 8 13 21 34 55 89 144 233 377 610 987 1597 2584 4181
tree: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"
}

@test "exercise 2.5: valgrind finds no leaks and no invalid accesses in generator" {
    run_under_valgrind 60 generator
    assert_success
    assert_line "tree: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20"
}

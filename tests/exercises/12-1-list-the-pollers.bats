#!/usr/bin/env bats
# Exercise 12.1: List the pollers.
# kind: code
load ../helpers

@test "exercise 12.1: pollers --list prints every poller of the build, in the order they are searched" {
    run_program 10 pollers --list
    assert_success
    assert_output "epoll
poll
select"
}

@test "exercise 12.1: pollers without an option still names the poller in use" {
    ASYNC_POLLER=poll run_program 10 pollers
    assert_success
    assert_output poll
}

@test "exercise 12.1: pollers with anything else gets the usage line" {
    refuses_with_usage pollers "usage: pollers*" "--lists" "--list extra" "-l"
}

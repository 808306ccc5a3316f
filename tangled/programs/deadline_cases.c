/* programs/deadline_cases.c, tangled from chapter 16 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"
#include "measure.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Say what a wait returned, and whether it was on time (chapter 16) */
static const char *status_name(int status)
{
    return status == 0 ? "ok" : strerror(-status);
}

/* "(on time)" if what began at started ended no earlier than seconds after it and
   less than half a second late; otherwise how early or how late it was. */
static const char *timing(long long started, double seconds)
{
    static char text[32];
    long long took = now_ns() - started;
    long long due = (long long)(seconds * 1e9);
    if (took < due)
        snprintf(text, sizeof text, "(early by %lld ms)", (due - took) / 1000000);
    else if (took - due >= 500000000)
        snprintf(text, sizeof text, "(late by %lld ms)", (took - due) / 1000000);
    else
        snprintf(text, sizeof text, "(on time)");
    return text;
}

/* A connected pair of sockets, the first one non-blocking: 0, or -1. */
static int socket_pair(int ends[2])
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
        return -1;
    return fd_set_nonblocking(ends[0]) != 0 ? -1 : 0;
}
/* Put a sleep, a pipe and a socket under a deadline (chapter 16) */
static void sleep_under_deadlines(void)
{
    struct cancel_scope scope;
    long long started = now_ns();
    scope_enter(&scope, 0.05);
    int status = async_sleep(10);
    printf("sleep 10 s, deadline 50 ms: %s %s\n", status_name(status),
           timing(started, 0.05));
    printf("  leave: %s\n", status_name(scope_leave(&scope)));
    scope_enter(&scope, 1);
    status = async_sleep(0.02);
    printf("sleep 20 ms, deadline 1 s: %s; ", status_name(status));
    printf("leave: %s\n", status_name(scope_leave(&scope)));
}

static void pipe_under_deadline(void)
{
    int ends[2];
    struct cancel_scope scope;
    if (pipe(ends) != 0)
        return;
    long long started = now_ns();
    scope_enter(&scope, 0.05);
    int status = await_readable(ends[0]);
    printf("wait for a silent pipe, deadline 50 ms: %s %s\n", status_name(status),
           timing(started, 0.05));
    scope_leave(&scope);
    async_close(ends[0]);
    close(ends[1]);
}

static void socket_under_deadline(void)
{
    int ends[2];
    char byte = 0;
    struct cancel_scope scope;
    if (socket_pair(ends) != 0)
        return;
    long long started = now_ns();
    scope_enter(&scope, 0.05);
    ssize_t got = async_recv(ends[0], &byte, 1);
    printf("recv on a silent socket, deadline 50 ms: %s %s\n", status_name((int)got),
           timing(started, 0.05));
    scope_leave(&scope);
    send(ends[1], "!", 1, MSG_NOSIGNAL);
    got = async_recv(ends[0], &byte, 1);
    printf("  a byte sent after it is received: %s\n",
           got == 1 && byte == '!' ? "yes" : "no");
    async_close(ends[0]);
    close(ends[1]);
}

static void *receive_in_scope(void *arg)
{
    int *fd = arg;
    char byte;
    struct cancel_scope scope;
    scope_enter(&scope, 10);
    ssize_t got = async_recv(*fd, &byte, 1);
    printf("recv in a 10 s scope, cancelled: %s; ", status_name((int)got));
    printf("leave: %s\n", status_name(scope_leave(&scope)));
    return NULL;
}

static void cancel_under_deadline(void)
{
    int ends[2];
    struct task *task;
    if (socket_pair(ends) != 0)
        return;
    if (schedule(receive_in_scope, &ends[0], &task) == 0) {
        async_sleep(0.01);
        cancel(task);
        task_join(task, NULL);
        task_release(task);
    }
    async_close(ends[0]);
    close(ends[1]);
}

static void *sleep_ten_seconds(void *arg)
{
    (void)arg;
    async_sleep(10);
    return NULL;
}

static void join_under_deadline(void)
{
    struct task *task;
    struct cancel_scope scope;
    if (schedule(sleep_ten_seconds, NULL, &task) != 0)
        return;
    long long started = now_ns();
    scope_enter(&scope, 0.05);
    int status = task_join(task, NULL);
    printf("join a sleeping task, deadline 50 ms: %s %s\n", status_name(status),
           timing(started, 0.05));
    scope_leave(&scope);
    printf("  the sleeper still sleeps: %s\n", task_is_done(task) ? "no" : "yes");
    cancel(task);
    status = task_join(task, NULL);
    printf("  cancelled and joined: %s; cancelled: %s\n", status_name(status),
           task_was_cancelled(task) ? "yes" : "no");
    task_release(task);
}
/* Show that a passed deadline stays passed until its scope is left (chapter 16) */
static void deadline_stays_passed(void)
{
    struct cancel_scope scope;
    scope_enter(&scope, 0.03);
    async_sleep(10);
    printf("after the deadline: sleep 0.2 s: %s\n", status_name(async_sleep(0.2)));
    printf("  a yield: %s; ", status_name(async_sleep(0)));
    printf("leave: %s\n", status_name(scope_leave(&scope)));
    printf("  outside the scope, a yield: %s\n", status_name(async_sleep(0)));
}
/* Nest two scopes both ways (chapter 16) */
static void inner_sooner(void)
{
    struct cancel_scope outer, inner;
    long long started = now_ns();
    scope_enter(&outer, 0.1);
    scope_enter(&inner, 0.02);
    int status = async_sleep(10);
    printf("inner 20 ms in outer 100 ms: %s %s\n", status_name(status),
           timing(started, 0.02));
    printf("  leave inner: %s; ", status_name(scope_leave(&inner)));
    printf("sleep 10 ms: %s\n", status_name(async_sleep(0.01)));
    status = async_sleep(10);
    printf("  sleep 10 s: %s %s\n", status_name(status), timing(started, 0.1));
    printf("  leave outer: %s\n", status_name(scope_leave(&outer)));
}

static void outer_sooner(void)
{
    struct cancel_scope outer, inner;
    long long started = now_ns();
    scope_enter(&outer, 0.05);
    scope_enter(&inner, 10);
    int status = async_sleep(10);
    printf("inner 10 s in outer 50 ms: %s %s\n", status_name(status),
           timing(started, 0.05));
    printf("  leave inner: %s; ", status_name(scope_leave(&inner)));
    printf("a yield: %s\n", status_name(async_sleep(0)));
    printf("  leave outer: %s\n", status_name(scope_leave(&outer)));
}
/* Shield a sleep from cancel and from the outer deadline (chapter 16) */
static void shield_inside_deadline(void)
{
    struct cancel_scope outer, shield;
    scope_enter(&outer, 0.05);
    long long started = now_ns();
    scope_enter_shielded(&shield, INFINITY);
    int status = async_sleep(0.1);
    printf("a shield in a 50 ms scope: sleep 0.1 s: %s %s\n", status_name(status),
           timing(started, 0.1));
    printf("  leave the shield: %s; ", status_name(scope_leave(&shield)));
    printf("a yield: %s\n", status_name(async_sleep(0)));
    scope_leave(&outer);
}

static void shield_for_at_most(void)
{
    struct cancel_scope outer, cleanup;
    scope_enter(&outer, 0.02);
    async_sleep(10);
    long long started = now_ns();
    scope_enter_shielded(&cleanup, 0.05);
    int status = async_sleep(10);
    printf("cleanup after it, shielded for 50 ms: %s %s\n", status_name(status),
           timing(started, 0.05));
    printf("  leave the cleanup: %s; ", status_name(scope_leave(&cleanup)));
    printf("the outer: %s\n", status_name(scope_leave(&outer)));
}

static void *shielded_sleeper(void *arg)
{
    (void)arg;
    struct cancel_scope shield;
    long long started = now_ns();
    scope_enter_shielded(&shield, INFINITY);
    int status = async_sleep(0.1);
    printf("cancelled in a shield: sleep 0.1 s: %s %s\n", status_name(status),
           timing(started, 0.1));
    printf("  still in it, a yield: %s; ", status_name(async_sleep(0)));
    printf("leave: %s\n", status_name(scope_leave(&shield)));
    printf("  a yield: %s; ", status_name(async_sleep(0)));
    printf("another: %s\n", status_name(async_sleep(0)));
    return NULL;
}

static void cancel_in_a_shield(void)
{
    struct task *task;
    if (schedule(shielded_sleeper, NULL, &task) != 0)
        return;
    async_sleep(0.02);
    cancel(task);
    while (!task_is_done(task))
        async_sleep(0.01);
    task_release(task);
}
/* Cancel a task whose deadline has passed (chapter 16) */
static void cancel_and_deadline(void)
{
    struct cancel_scope scope, shield;
    scope_enter(&scope, 0.02);
    scope_enter_shielded(&shield, INFINITY);
    cancel(task_current());
    async_sleep(0.05);                  /* the deadline passes; the cancel waits */
    scope_leave(&shield);
    int first = async_sleep(1);
    int second = async_sleep(1);
    printf("cancelled, and past the deadline: %s, ", status_name(first));
    printf("then %s\n", status_name(second));
    printf("  leave: %s\n", status_name(scope_leave(&scope)));
}
/* Wait for a greeting or move on, and fail when a reply is late (chapter 16) */
static bool greeted(int fd)                 /* move_on_after(0.05) */
{
    struct cancel_scope scope;
    if (scope_enter(&scope, 0.05) != 0)
        return false;
    int status = await_readable(fd);
    scope_leave(&scope);        /* its -ETIMEDOUT only says that we moved on */
    return status == 0;
}

static ssize_t reply_within(int fd, char *buffer, size_t size, double seconds)
{
    struct cancel_scope scope;                  /* fail_after(seconds) */
    int status = scope_enter(&scope, seconds);
    if (status != 0)
        return status;
    ssize_t got = async_recv(fd, buffer, size);
    status = scope_leave(&scope);
    return got < 0 || status == 0 ? got : status;
}

static void move_on_and_fail(void)
{
    int ends[2];
    char reply;
    if (socket_pair(ends) != 0)
        return;
    bool greeting = greeted(ends[0]);
    printf("move_on_after 50 ms: %s\n", greeting ? "greeted" : "no greeting, going on");
    ssize_t got = reply_within(ends[0], &reply, 1, 0.05);
    printf("fail_after 50 ms: %s\n", status_name((int)got));
    async_close(ends[0]);
    close(ends[1]);
}
/* Use the scopes wrongly (chapter 16) */
static void misuse_scopes(void)
{
    struct cancel_scope outer, inner;
    scope_enter(&outer, 10);
    scope_enter(&inner, 10);
    printf("leave the outer first: %s; ", status_name(scope_leave(&outer)));
    printf("inner, outer: %s, ", status_name(scope_leave(&inner)));
    printf("%s\n", status_name(scope_leave(&outer)));
    printf("enter for -1 s: %s; ", status_name(scope_enter(&outer, -1)));
    printf("NaN: %s; ", status_name(scope_enter(&outer, NAN)));
    printf("NULL: %s\n", status_name(scope_enter(NULL, 1)));
}

static void outside_a_task(void)
{
    struct cancel_scope scope;
    printf("outside a task: enter %s, ", status_name(scope_enter(&scope, 1)));
    printf("leave %s\n", status_name(scope_leave(&scope)));
}
/* Run every case of the deadline rules (chapter 16) */
static void *run_fd_cases(void *arg)
{
    (void)arg;
    pipe_under_deadline();
    socket_under_deadline();
    cancel_under_deadline();
    return NULL;
}

static void *run_all_cases(void *arg)
{
    (void)arg;
    sleep_under_deadlines();
    run_fd_cases(NULL);
    join_under_deadline();
    deadline_stays_passed();
    inner_sooner();
    outer_sooner();
    shield_inside_deadline();
    shield_for_at_most();
    cancel_in_a_shield();
    cancel_and_deadline();
    move_on_and_fail();
    misuse_scopes();
    return NULL;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    bool fd_only = argc == 2 && strcmp(argv[1], "fd") == 0;
    if (argc > 2 || (argc == 2 && !fd_only)) {
        fputs("usage: deadline_cases [fd]\n", stderr);
        return 2;
    }
    int status = event_loop(fd_only ? run_fd_cases : run_all_cases, NULL);
    if (!fd_only)
        outside_a_task();
    return status == 0 ? 0 : 1;
}

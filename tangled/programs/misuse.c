/* programs/misuse.c, tangled from chapter 8 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Say what a call returned (chapter 8) */
static int failures_missed;

static void said(const char *call, long status)
{
    if (status >= 0)
        failures_missed++;
    printf("%-44s %s\n", call, status >= 0 ? "ok" : strerror((int)-status));
}

static void *nothing(void *arg)
{
    return arg;
}

/* Call every function wrongly from inside a task (chapter 8) */
static void *careless_task(void *arg)
{
    int ends[2];
    char byte = 0;
    struct endpoint where;
    (void)arg;
    if (pipe(ends) != 0)
        return NULL;
    int closed = fcntl(ends[0], F_DUPFD, 900), not_socket = ends[1];
    close(closed);
    close(ends[0]);
    said("schedule(NULL, NULL, NULL)", schedule(NULL, NULL, NULL));
    said("event_loop(nothing, NULL) inside a task", event_loop(nothing, NULL));
    said("async_sleep(-1)", async_sleep(-1));
    said("async_sleep(NAN)", async_sleep(NAN));
    said("await_readable(-1)", await_readable(-1));
    said("await_writable(closed)", await_writable(closed));
    said("await_errored(closed)", await_errored(closed));
    said("cancel(NULL)", cancel(NULL));
    said("fd_set_nonblocking(closed)", fd_set_nonblocking(closed));
    said("async_connect(NULL, 80)", async_connect(NULL, 80));
    said("async_connect(\"127.0.0.1\", -1)", async_connect("127.0.0.1", -1));
    said("async_listen(\"127.0.0.1\", 70000, 8)", async_listen("127.0.0.1", 70000, 8));
    said("async_listen(\"127.0.0.1\", 0, -1)", async_listen("127.0.0.1", 0, -1));
    said("async_accept(closed, NULL)", async_accept(closed, NULL));
    said("async_accept(not_socket, NULL)", async_accept(not_socket, NULL));
    said("async_recv(closed, &byte, 1)", async_recv(closed, &byte, 1));
    said("async_recv(not_socket, NULL, 1)", async_recv(not_socket, NULL, 1));
    said("async_send(-1, &byte, 1)", async_send(-1, &byte, 1));
    said("async_send(not_socket, NULL, 1)", async_send(not_socket, NULL, 1));
    said("async_recv(not_socket, &byte, SIZE_MAX)",
         async_recv(not_socket, &byte, SIZE_MAX));
    said("async_send(not_socket, &byte, SIZE_MAX)",
         async_send(not_socket, &byte, SIZE_MAX));
    said("async_close(-1)", async_close(-1));
    said("async_close(closed)", async_close(closed));
    said("socket_local_endpoint(not_socket, &where)", socket_local_endpoint(not_socket, &where));
    said("socket_local_endpoint(not_socket, NULL)", socket_local_endpoint(not_socket, NULL));
    close(not_socket);
    return NULL;
}

/* Call every function from outside a task (chapter 8) */
int main(void)
{
    char byte = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("outside a task:\n");
    said("event_loop(NULL, NULL)", event_loop(NULL, NULL));
    said("schedule(nothing, NULL, NULL)", schedule(nothing, NULL, NULL));
    said("async_sleep(1)", async_sleep(1));
    said("await_readable(0)", await_readable(0));
    said("await_writable(1)", await_writable(1));
    said("await_errored(0)", await_errored(0));
    said("cancel(NULL)", cancel(NULL));
    said("async_connect(\"127.0.0.1\", 1)", async_connect("127.0.0.1", 1));
    said("async_accept(0, NULL)", async_accept(0, NULL));
    said("async_recv(0, &byte, 1)", async_recv(0, &byte, 1));
    said("async_send(1, &byte, 1)", async_send(1, &byte, 1));
    said("async_close(0)", async_close(0));
    printf("task_current(): %s\n", task_current() == NULL ? "NULL" : "a task");
    task_release(task_hold(NULL));
    printf("task_is_done(NULL): %s, task_result(NULL): %s\n",
           task_is_done(NULL) ? "true" : "false", task_result(NULL) ? "a pointer" : "NULL");
    printf("inside a task:\n");
    int status = event_loop(careless_task, NULL);
    printf("event_loop returned %d; standard input is %s; calls that did not fail: %d\n",
           status, fcntl(0, F_GETFD) != -1 ? "open" : "closed", failures_missed);
    return status == 0 && failures_missed == 0 ? 0 : 1;
}

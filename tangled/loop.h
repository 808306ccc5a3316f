#ifndef LOOP_H
#define LOOP_H

#include <stdbool.h>

#include "task.h"
#include "task_queue.h"
#include "timer_heap.h"

enum request_kind {
    REQUEST_SCHEDULE,
    REQUEST_TIMEOUT,
    REQUEST_READABLE,
    REQUEST_WRITABLE,
    REQUEST_ERRORED,
    REQUEST_CANCEL_TASK,
};

struct request {
    enum request_kind kind;
    task_fn *fn;            /* Schedule: what to run */
    void *arg;              /* Schedule: its argument */
    struct task *task;      /* Schedule: the new task, filled in by the loop */
    double seconds;         /* Timeout: how long to sleep */
    int fd;                 /* Readable, Writable, Errored: which descriptor */
};

struct loop {
    struct task_queue runnable;
    size_t turns_left;
    int failure;            /* -errno once the loop cannot go on */
    nanoseconds now;
    struct timer_heap timers;
    struct task *watchers;      /* tasks waiting on a file descriptor, oldest first */
    struct task *last_watcher;
    size_t watcher_count;
};

int await(struct request *request);
int event_loop(task_fn *main, void *arg);
struct task *schedule(task_fn *fn, void *arg);
struct task *task_hold(struct task *task);
void task_release(struct task *task);
bool task_is_done(const struct task *task);
void *task_result(const struct task *task);
int async_sleep(double seconds);
int await_readable(int fd);
int await_writable(int fd);
int await_errored(int fd);
int fd_set_nonblocking(int fd);
void loop_forget_fd(struct loop *loop, int fd, int status);
int cancel(struct task *task);

#endif

/* loop/loop_internal.h, tangled from chapters 3, 4, 5, 6, 11, 12, 13, 14, 15, 16 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef LOOP_INTERNAL_H
#define LOOP_INTERNAL_H

#include "loop.h"
#include "coroutine.h"
#include "task_queue.h"
/* Include what the private types build on (chapter 4) */
#include "timer_heap.h"
#include "poller.h"

enum request_kind {
    /* List the kinds of request (chapters 3, 4, 5, 6, 13, 15) */
    REQUEST_SCHEDULE,
    REQUEST_TIMEOUT,
    REQUEST_READABLE,
    REQUEST_WRITABLE,
    REQUEST_ERRORED,
    REQUEST_CANCEL_TASK,
    REQUEST_OPERATION,
    REQUEST_JOIN,
};

struct request {
    enum request_kind kind;
    /* Declare the fields of a request (chapters 3, 4, 5, 13) */
    task_fn *fn;            /* Schedule: what to run */
    void *arg;              /* Schedule: its argument */
    struct task *task;      /* Schedule: the new task, filled in by the loop */
    double seconds;         /* Timeout: how long to sleep */
    int fd;                 /* Readable, Writable, Errored: which descriptor */
    struct poller_operation *operation;     /* Operation: what the poller carries out */
};

enum task_state {
    TASK_RUNNABLE,
    TASK_RUNNING,
    TASK_WAITING,
    TASK_DONE
};

struct task {
    /* Declare what the loop keeps for each task (chapters 14, 15, 16) */
    struct coroutine *coroutine;    /* its stack and context; NULL once finished */
    void *result;                   /* what its function returned */
    struct task *next;              /* the next task in the run queue */
    struct request *request;        /* what the task is waiting for */
    struct loop *loop;              /* the loop that runs it, on that loop's thread */
    struct timer timer;             /* its deadline, while it sleeps */
    struct task *watch_prev;        /* neighbours among its descriptor's watchers */
    struct task *watch_next;
    enum task_state state;
    int refs;                       /* the loop's reference plus task_hold()s */
    int resume_status;              /* what the pending await returns */
    bool cancel_pending;            /* cancelled, and not yet told so */
    bool cancelled;                 /* cancel() reached it before it was done */
    struct task_queue joiners;      /* the tasks waiting to join it, oldest first */
    bool deadline_set;              /* its timer holds a deadline beside its wait */
    struct cancel_scope *scope;     /* the innermost scope it is in, or NULL */
};

/* Declare the types the loop's fields need (chapter 11) */
struct fd_watchers {
    struct task *first;         /* the tasks waiting on this fd, oldest first */
    struct task *last;
    unsigned events;            /* what the poller reports for it (POLLER_...) */
    bool drained;               /* its last recv took less than it asked for */
};

struct loop {
    /* Declare the fields of the loop (chapters 3, 4, 5, 11) */
    struct task_queue runnable;
    size_t turns_left;
    int failure;            /* -errno once the loop cannot go on */
    struct task *current;   /* the task that is running, or NULL */
    nanoseconds now;
    struct timer_heap timers;
    struct poller *poller;
    struct fd_watchers *watched;    /* indexed by fd; watched_size entries */
    int watched_size;
    size_t watcher_count;           /* tasks waiting on any descriptor */
    size_t task_count;      /* tasks spawned and not yet finished */
};

/* Declare the functions only the library calls (chapters 3, 5, 11, 12, 13, 14) */
int await(struct request *request);
struct loop *loop_current(void);
void loop_forget_fd(struct loop *loop, int fd, int status);
bool loop_fd_drained(const struct loop *loop, int fd);
void loop_note_fd_drained(struct loop *loop, int fd, bool drained);
/* Wake fd's waiters with -EBADF, make the poller forget it, and close it:
   0, or -errno of close. */
int loop_close_fd(struct loop *loop, int fd);
/* fd is new and will be closed with loop_close_fd (loop NULL: nothing). */
void loop_adopt_fd(struct loop *loop, int fd);
/* Whether the loop's poller carries out recv, send and accept itself. */
bool loop_does_operations(void);
/* Hand operation to the poller and wait until it ends: its result (a count or
   a descriptor), or -errno. */
ssize_t await_operation(struct poller_operation *operation);
/* Whether the loop's poller can watch fd (false for a NULL loop). */
bool loop_can_watch_fd(const struct loop *loop, int fd);

#endif

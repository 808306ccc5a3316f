#ifndef TASK_H
#define TASK_H

#include <stdbool.h>
#include <stddef.h>
#include <ucontext.h>
struct loop;
struct request;
#include "timer_heap.h"

typedef void *task_fn(void *arg);

enum task_state {
    TASK_CREATED,
    TASK_RUNNABLE,
    TASK_RUNNING,
    TASK_WAITING,
    TASK_DONE
};

struct task {
    ucontext_t context;
    void *stack;
    size_t stack_size;
    task_fn *fn;
    void *arg;
    void *result;
    enum task_state state;
    unsigned long id;
    void *sanitizer_stack;
    unsigned valgrind_stack_id;
    struct task *next;          /* the next task in the run queue */
    struct loop *loop;          /* the loop that runs this task */
    int refs;                   /* the loop's reference plus task_hold()s */
    int resume_status;          /* what the pending await returns */
    struct request *request;    /* what the task is waiting for */
    struct timer timer;         /* its deadline, while it sleeps */
    struct task *watch_prev;    /* neighbours in the loop's list of watchers */
    struct task *watch_next;
    bool cancel_pending;        /* cancelled, and not yet told so */
};

enum { TASK_STACK_SIZE = 64 * 1024 };

struct task *task_create(task_fn *fn, void *arg);
void task_resume(struct task *task);
void task_yield(void);
struct task *task_current(void);
void task_free_stack(struct task *task);
void task_destroy(struct task *task);

#endif

/* loop/loop.c, tangled from chapters 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop_internal.h"

/* Include the system headers loop.c uses (chapters 3, 5, 12) */
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Remember which loop runs on this thread (chapter 3) */
static _Thread_local struct loop *running_loop;

struct loop *loop_current(void)
{
    return running_loop;
}

struct task *task_current(void)
{
    return running_loop != NULL ? running_loop->current : NULL;
}

/* Make a task runnable (chapter 16) */
static nanoseconds loop_deadline_of(const struct task *task)
{
    return task->scope != NULL ? task->scope->wait_deadline : CLOCK_FOREVER;
}

static bool loop_is_shielded(const struct task *task)
{
    return task->scope != NULL && task->scope->shielded;
}

static bool loop_deadline_passed(const struct task *task)
{
    nanoseconds deadline = loop_deadline_of(task);
    return deadline < CLOCK_FOREVER && clock_now() >= deadline;
}

static bool loop_sleep_was_cut_short(const struct task *task)
{
    nanoseconds deadline = loop_deadline_of(task);
    return deadline < CLOCK_FOREVER && task->timer.deadline >= deadline;
}

static void loop_make_runnable(struct loop *loop, struct task *task, int status)
{
    if (task->deadline_set) {
        timer_heap_remove(&loop->timers, &task->timer);
        task->deadline_set = false;
    }
    task->resume_status = status;
    task->state = TASK_RUNNABLE;
    task_queue_push_back(&loop->runnable, task);
}

static void loop_resume_first(struct loop *loop, struct task *task, int status)
{
    task->resume_status = status;
    task->state = TASK_RUNNABLE;
    task_queue_push_front(&loop->runnable, task);
    loop->turns_left++;
}
/* Spawn a task and count who holds it (chapter 15) */
static int loop_spawn(struct loop *loop, task_fn *fn, void *arg,
                      struct task **spawned)
{
    if (timer_heap_reserve(&loop->timers, loop->task_count + 1) != 0)
        return -ENOMEM;
    struct task *task = calloc(1, sizeof *task);
    if (task == NULL)
        return -ENOMEM;
    task->coroutine = coroutine_create(fn, arg);
    if (task->coroutine == NULL) {
        free(task);
        return -ENOMEM;
    }
    task->refs = 1;
    task->loop = loop;
    loop->task_count++;
    loop_make_runnable(loop, task, 0);
    if (spawned != NULL)
        *spawned = task;
    return 0;
}

struct task *task_hold(struct task *task)
{
    if (task != NULL)
        task->refs++;
    return task;
}

void task_release(struct task *task)
{
    if (task != NULL && --task->refs == 0) {
        coroutine_destroy(task->coroutine);
        free(task);
    }
}

bool task_is_done(const struct task *task)
{
    return task != NULL && task->state == TASK_DONE;
}

void *task_result(const struct task *task)
{
    return task != NULL ? task->result : NULL;
}

bool task_was_cancelled(const struct task *task)
{
    return task != NULL && task->cancelled;
}

static void loop_wake_joiners(struct loop *loop, struct task *task)
{
    struct task *joiner;
    while ((joiner = task_queue_pop(&task->joiners)) != NULL)
        loop_make_runnable(loop, joiner, 0);
}

static void loop_finish_task(struct task *task)
{
    task->result = coroutine_result(task->coroutine);
    task->state = TASK_DONE;
    coroutine_destroy(task->coroutine);
    task->coroutine = NULL;
    loop_wake_joiners(task->loop, task);
    task_release(task);
}
/* Wake the tasks whose deadlines have passed (chapter 16) */
static void loop_timer_fired(struct loop *loop, struct task *task);

static void loop_wake_expired_timers(struct loop *loop)
{
    struct timer *timer;
    if (loop->timers.count == 0)
        return;
    loop->now = clock_now();
    while ((timer = timer_heap_peek(&loop->timers)) != NULL &&
           timer->deadline <= loop->now) {
        timer_heap_pop(&loop->timers);
        loop_timer_fired(loop, timer->task);
    }
}
/* Keep the watchers of each file descriptor (chapters 5, 11, 12, 14) */
static int loop_make_room_for_fd(struct loop *loop, int fd)
{
    if (fd < loop->watched_size)
        return 0;
    int size = loop->watched_size > 0 ? loop->watched_size : 64;
    while (size <= fd)
        size *= 2;
    struct fd_watchers *table = realloc(loop->watched, (size_t)size * sizeof *table);
    if (table == NULL)
        return -ENOMEM;
    memset(table + loop->watched_size, 0,
           (size_t)(size - loop->watched_size) * sizeof *table);
    loop->watched = table;
    loop->watched_size = size;
    return 0;
}

static unsigned request_event(const struct request *request)
{
    switch (request->kind) {
    case REQUEST_READABLE:
        return POLLER_READABLE;
    case REQUEST_WRITABLE:
        return POLLER_WRITABLE;
    default:
        return POLLER_ERRORED;
    }
}

static unsigned loop_wanted_events(const struct fd_watchers *watchers)
{
    unsigned events = 0;
    for (struct task *task = watchers->first; task != NULL; task = task->watch_next)
        events |= request_event(task->request);
    return events;
}

static int loop_update_poller(struct loop *loop, int fd)
{
    struct fd_watchers *watchers = &loop->watched[fd];
    unsigned events = loop_wanted_events(watchers);
    if (events == watchers->events)
        return 0;
    int status = 0;
    if (events == 0)
        poller_unwatch(loop->poller, fd);
    else
        status = poller_watch(loop->poller, fd, events);
    if (status == 0)
        watchers->events = events;
    return status;
}

static void loop_link_watcher(struct fd_watchers *watchers, struct task *task)
{
    task->watch_next = NULL;
    task->watch_prev = watchers->last;
    if (watchers->last != NULL)
        watchers->last->watch_next = task;
    else
        watchers->first = task;
    watchers->last = task;
}

static void loop_unlink_watcher(struct fd_watchers *watchers, struct task *task)
{
    if (task->watch_prev != NULL)
        task->watch_prev->watch_next = task->watch_next;
    else
        watchers->first = task->watch_next;
    if (task->watch_next != NULL)
        task->watch_next->watch_prev = task->watch_prev;
    else
        watchers->last = task->watch_prev;
    task->watch_prev = task->watch_next = NULL;
}

static int loop_watch(struct loop *loop, struct task *task)
{
    int fd = task->request->fd;
    int status = loop_make_room_for_fd(loop, fd);
    if (status != 0)
        return status;
    loop_link_watcher(&loop->watched[fd], task);
    status = loop_update_poller(loop, fd);
    if (status != 0) {
        loop_unlink_watcher(&loop->watched[fd], task);
        return status;
    }
    loop->watcher_count++;
    return 0;
}

enum { POLLER_ANY = POLLER_READABLE | POLLER_WRITABLE | POLLER_ERRORED };

static void loop_wake_watchers(struct loop *loop, int fd, unsigned events, int status)
{
    if (fd < 0 || fd >= loop->watched_size)
        return;
    struct fd_watchers *watchers = &loop->watched[fd];
    struct task *task = watchers->first;
    while (task != NULL) {
        struct task *next = task->watch_next;
        if (request_event(task->request) & events) {
            loop_unlink_watcher(watchers, task);
            loop->watcher_count--;
            loop_make_runnable(loop, task, status);
        }
        task = next;
    }
    loop_update_poller(loop, fd);
}

void loop_forget_fd(struct loop *loop, int fd, int status)
{
    loop_wake_watchers(loop, fd, POLLER_ANY, status);
}

bool loop_fd_drained(const struct loop *loop, int fd)
{
    return fd >= 0 && fd < loop->watched_size && loop->watched[fd].drained;
}

void loop_note_fd_drained(struct loop *loop, int fd, bool drained)
{
    if (fd >= 0 && fd < loop->watched_size)
        loop->watched[fd].drained = drained;
}

int loop_close_fd(struct loop *loop, int fd)
{
    loop_forget_fd(loop, fd, -EBADF);
    loop_note_fd_drained(loop, fd, false);
    poller_forget(loop->poller, fd);
    return close(fd) == 0 ? 0 : -errno;
}

void loop_adopt_fd(struct loop *loop, int fd)
{
    if (loop == NULL)
        return;
    loop_note_fd_drained(loop, fd, false);
    poller_adopt(loop->poller, fd);
}

bool loop_can_watch_fd(const struct loop *loop, int fd)
{
    return loop != NULL && poller_can_watch(loop->poller, fd);
}
/* Stop whatever a task is waiting for (chapters 15, 16) */
static void loop_unwatch(struct loop *loop, struct task *task)
{
    int fd = task->request->fd;
    loop_unlink_watcher(&loop->watched[fd], task);
    loop->watcher_count--;
    loop_update_poller(loop, fd);
}

static void loop_stop_joining(struct task *task)
{
    struct task *target = task->request->task;
    task_queue_remove(&target->joiners, task);
    task_release(target);           /* the loop's hold; target runs on, so it stays */
}

static void loop_stop_waiting(struct loop *loop, struct task *task)
{
    switch (task->request->kind) {
    case REQUEST_TIMEOUT:
        timer_heap_remove(&loop->timers, &task->timer);
        break;
    case REQUEST_JOIN:
        loop_stop_joining(task);
        break;
    default:
        loop_unwatch(loop, task);
        break;
    }
}

static bool loop_waits_for_kernel(const struct task *task)
{
    return task->state == TASK_WAITING && task->request->kind == REQUEST_OPERATION;
}

static bool loop_has_news_for(const struct task *task)
{
    enum request_kind kind = task->request->kind;
    if (task->resume_status != 0)
        return false;
    return kind == REQUEST_OPERATION || kind == REQUEST_JOIN;
}

static void loop_end_wait_at_deadline(struct loop *loop, struct task *task)
{
    task->deadline_set = false;                 /* its timer has just left the heap */
    if (loop_waits_for_kernel(task)) {
        poller_cancel(loop->poller, task->request->operation);  /* woken when done */
        return;
    }
    loop_stop_waiting(loop, task);
    loop_make_runnable(loop, task, -ETIMEDOUT);
}

static void loop_timer_fired(struct loop *loop, struct task *task)
{
    if (task->request->kind != REQUEST_TIMEOUT)
        loop_end_wait_at_deadline(loop, task);
    else if (loop_sleep_was_cut_short(task))
        loop_make_runnable(loop, task, -ETIMEDOUT);
    else
        loop_make_runnable(loop, task, 0);
}
/* Handle each kind of request (chapters 3, 4, 5, 6, 11, 13, 14, 15) */
static void loop_handle_schedule(struct loop *loop, struct task *task, struct request *request)
{
    int status = -EINVAL;
    if (request->fn != NULL)
        status = loop_spawn(loop, request->fn, request->arg, &request->task);
    loop_resume_first(loop, task, status);
}
static void loop_handle_timeout(struct loop *loop, struct task *task,
                                struct request *request)
{
    if (!(request->seconds >= 0)) {
        loop_resume_first(loop, task, -EINVAL);
        return;
    }
    loop->now = clock_now();
    task->timer.deadline = loop->now + seconds_to_nanoseconds(request->seconds);
    task->timer.task = task;
    if (timer_heap_push(&loop->timers, &task->timer) != 0) {
        loop_resume_first(loop, task, -ENOMEM);
        return;
    }
    task->state = TASK_WAITING;
}

static void loop_handle_watch(struct loop *loop, struct task *task, struct request *request)
{
    if (request->fd < 0) {
        loop_resume_first(loop, task, -EBADF);
        return;
    }
    int status = loop_watch(loop, task);
    if (status != 0) {
        loop_resume_first(loop, task, status);
        return;
    }
    task->state = TASK_WAITING;
}

static void loop_handle_cancel(struct loop *loop, struct task *task,
                               struct request *request)
{
    struct task *target = request->task;
    if (target == NULL) {
        loop_resume_first(loop, task, -EINVAL);
        return;
    }
    if (target->state != TASK_DONE && !target->cancel_pending) {
        target->cancel_pending = true;
        if (loop_is_shielded(target)) {
            /* shielded: the flag alone, delivered at its first wait outside the shield */
        } else if (loop_waits_for_kernel(target)) {
            poller_cancel(loop->poller, target->request->operation);    /* woken when it ends */
        } else if (target->state == TASK_WAITING) {
            loop_stop_waiting(loop, target);
            loop_make_runnable(loop, target, -ECANCELED);
        } else if (target->state == TASK_RUNNABLE && target->request != NULL
                   && !loop_has_news_for(target)) {
            target->resume_status = -ECANCELED;     /* woken, but not yet told */
        }
        target->cancelled = true;               /* for good: task_was_cancelled() */
    }
    loop_resume_first(loop, task, 0);
}

static void loop_handle_sleep(struct loop *loop, struct task *task,
                              struct request *request)
{
    if (request->seconds == 0)
        loop_make_runnable(loop, task, 0);      /* a yield: the back of the queue */
    else
        loop_handle_timeout(loop, task, request);
}

static void loop_handle_operation(struct loop *loop, struct task *task,
                                  struct request *request)
{
    int status = poller_submit(loop->poller, request->operation);
    if (status != 0) {
        loop_resume_first(loop, task, status);
        return;
    }
    request->operation->owner = task;
    loop->watcher_count++;
    task->state = TASK_WAITING;
}

static void loop_complete_operation(struct loop *loop, struct poller_operation *operation)
{
    long result = operation->result;
    loop->watcher_count--;
    loop_make_runnable(loop, operation->owner, result < 0 ? (int)result : 0);
}
static void loop_handle_cancel_here(struct loop *loop, struct task *task,
                                    struct request *request)
{
    if (request->task != NULL && request->task->loop != loop) {
        loop_resume_first(loop, task, -EPERM);      /* another thread's task */
        return;
    }
    loop_handle_cancel(loop, task, request);
}
/* The task that task waits for in task_join, or NULL if it is not joining. */
static struct task *loop_joining(const struct task *task)
{
    if (task->state != TASK_WAITING || task->request->kind != REQUEST_JOIN)
        return NULL;
    return task->request->task;
}

/* Whether joiner, waiting for target, would close a ring: target is joiner,
   or waits to join it, directly or through others. */
static bool loop_would_deadlock(const struct task *joiner, const struct task *target)
{
    for (const struct task *t = target; t != NULL; t = loop_joining(t))
        if (t == joiner)
            return true;
    return false;
}
static void loop_add_joiner(struct task *target, struct task *joiner)
{
    joiner->state = TASK_WAITING;
    task_queue_push_back(&target->joiners, joiner);
}

static void loop_handle_join(struct loop *loop, struct task *task,
                             struct request *request)
{
    struct task *target = request->task;
    if (target == NULL) {
        loop_resume_first(loop, task, -EINVAL);
        return;
    }
    if (target->loop != loop) {
        loop_resume_first(loop, task, -EPERM);      /* another thread's task */
        return;
    }
    if (loop_would_deadlock(task, target)) {
        loop_resume_first(loop, task, -EDEADLK);
        return;
    }
    task_hold(target);              /* the loop's, until task_join reads the result */
    if (target->state == TASK_DONE)
        loop_resume_first(loop, task, 0);
    else
        loop_add_joiner(target, task);
}
/* Dispatch a request to its handler (chapter 3) */
static void loop_handle_request(struct loop *loop, struct task *task, struct request *request)
{
    switch (request->kind) {
    case REQUEST_SCHEDULE:
        loop_handle_schedule(loop, task, request);
        break;
    case REQUEST_TIMEOUT:
        loop_handle_sleep(loop, task, request);
        break;
    case REQUEST_READABLE:
    case REQUEST_WRITABLE:
    case REQUEST_ERRORED:
        loop_handle_watch(loop, task, request);
        break;
    case REQUEST_CANCEL_TASK:
        loop_handle_cancel_here(loop, task, request);
        break;
    case REQUEST_OPERATION:
        loop_handle_operation(loop, task, request);
        break;
    case REQUEST_JOIN:
        loop_handle_join(loop, task, request);
        break;
    default:
        loop_resume_first(loop, task, -EINVAL);
        break;
    }
}

/* Block until a timer is due or a file descriptor is ready (chapter 11) */
static nanoseconds loop_wait_limit(struct loop *loop)
{
    struct timer *next = timer_heap_peek(&loop->timers);
    if (!task_queue_is_empty(&loop->runnable))
        return 0;
    if (next == NULL)
        return -1;
    loop->now = clock_now();
    return next->deadline > loop->now ? next->deadline - loop->now : 0;
}

static void loop_wait(struct loop *loop)
{
    const struct poller_event *ready;
    nanoseconds limit = loop_wait_limit(loop);
    if (limit == 0 && loop->watcher_count == 0)
        return;                 /* nothing to sleep for, and nothing to poll */
    int count = poller_wait(loop->poller, limit, &ready);
    if (count < 0) {
        loop->failure = count;
        return;
    }
    for (int i = 0; i < count; i++) {
        if (ready[i].events & POLLER_CLOSED)
            loop_wake_watchers(loop, ready[i].fd, POLLER_ANY, -EBADF);
        else
            loop_wake_watchers(loop, ready[i].fd, ready[i].events, 0);
    }
    struct poller_operation *operation = poller_take_completed(loop->poller);
    while (operation != NULL) {
        struct poller_operation *next = operation->next;
        loop_complete_operation(loop, operation);
        operation = next;
    }
}

/* Run one pass of the loop (chapter 11) */
static bool loop_waits_for_nothing(const struct loop *loop)
{
    return loop->watcher_count == 0 && loop->timers.count == 0;
}

static struct task *loop_next_turn(struct loop *loop)
{
    struct task *task = NULL;
    if (loop->turns_left == 0 && loop_waits_for_nothing(loop))
        loop->turns_left = loop->runnable.length;       /* the next pass, at once */
    if (loop->turns_left > 0 && !task_queue_is_empty(&loop->runnable)) {
        loop->turns_left--;
        task = task_queue_pop(&loop->runnable);
        task->state = TASK_RUNNING;
    }
    loop->current = task;
    return task;
}

static void loop_run_ready_tasks(struct loop *loop)
{
    loop->turns_left = loop->runnable.length;
    struct task *task;
    while ((task = loop_next_turn(loop)) != NULL) {
        coroutine_resume(task->coroutine);
        struct task *finished = loop->current;
        loop->current = NULL;
        if (finished != NULL) {
            loop_finish_task(finished);
            loop->task_count--;
        }
    }
}

/* Decide whether the loop goes on, and run one iteration (chapter 3) */
static bool loop_has_work(const struct loop *loop)
{
    if (!task_queue_is_empty(&loop->runnable))
        return true;
    if (loop->timers.count > 0)
        return true;
    if (loop->watcher_count > 0)
        return true;
    return false;
}

static void loop_run_once(struct loop *loop)
{
    loop_run_ready_tasks(loop);
    if (loop_has_work(loop)) {
        loop_wait(loop);
        loop_wake_expired_timers(loop);
    }
}

/* Suspend the current task until the loop answers its request (chapter 10) */
static void loop_set_deadline(struct loop *loop, struct task *task)
{
    nanoseconds deadline = loop_deadline_of(task);
    if (deadline >= CLOCK_FOREVER)
        return;
    if (task->request->kind == REQUEST_TIMEOUT) {
        if (deadline < task->timer.deadline)
            timer_heap_bring_forward(&loop->timers, &task->timer, deadline);
        return;
    }
    task->timer.deadline = deadline;
    task->timer.task = task;
    timer_heap_push(&loop->timers, &task->timer);       /* room kept for it at spawn */
    task->deadline_set = true;
}

static void loop_switch_away(struct loop *loop, struct task *task)
{
    loop_handle_request(loop, task, task->request);
    if (task->state == TASK_WAITING && task->scope != NULL)
        loop_set_deadline(loop, task);
    struct task *next = loop_next_turn(loop);
    if (next == NULL)
        coroutine_yield();
    else if (next != task)
        coroutine_switch(next->coroutine);
}

int await(struct request *request)
{
    struct task *task = task_current();
    if (task == NULL)
        return -EPERM;
    if (request == NULL)
        return -EINVAL;
    if (task->cancel_pending && !loop_is_shielded(task)) {
        task->cancel_pending = false;
        return -ECANCELED;
    }
    if (loop_deadline_passed(task))
        return -ETIMEDOUT;
    task->request = request;
    loop_switch_away(running_loop, task);
    if (task->resume_status == -ECANCELED && task->cancel_pending
        && !loop_is_shielded(task))
        task->cancel_pending = false;
    else if (task->resume_status == -ECANCELED)
        task->resume_status = -ETIMEDOUT;           /* an operation a deadline cancelled */
    return task->resume_status;
}
/* Open and close what the loop owns (chapters 3, 12) */
static int loop_open(struct loop *loop)
{
    (void)loop;
    int status = poller_create(&loop->poller);
    if (status != 0)
        return status;
    return 0;
}

static void loop_close(struct loop *loop)
{
    (void)loop;
    timer_heap_free(&loop->timers);
    poller_free(loop->poller);
    free(loop->watched);
}

const char *event_loop_poller(void)
{
    struct loop *loop = loop_current();
    return loop != NULL ? poller_name(loop->poller) : poller_chosen();
}
/* Run the loop until nothing is left to do (chapter 3) */
int event_loop(task_fn *main, void *arg)
{
    struct loop loop = { 0 };
    if (main == NULL)
        return -EINVAL;
    if (running_loop != NULL)
        return -EPERM;
    int status = loop_open(&loop);
    if (status == 0)
        status = loop_spawn(&loop, main, arg, NULL);
    running_loop = &loop;
    while (status == 0 && loop.failure == 0 && loop_has_work(&loop))
        loop_run_once(&loop);
    running_loop = NULL;
    loop_close(&loop);
    return status != 0 ? status : loop.failure;
}
/* Wrap each request in a function a task can call (chapters 3, 4, 5, 6, 13, 15, 16) */
int schedule(task_fn *fn, void *arg, struct task **task)
{
    struct request request = { .kind = REQUEST_SCHEDULE, .fn = fn, .arg = arg };
    int status = await(&request);
    if (status == 0 && task != NULL)
        *task = task_hold(request.task);
    return status;
}
int async_sleep(double seconds)
{
    struct request request = { .kind = REQUEST_TIMEOUT, .seconds = seconds };
    return await(&request);
}

static int await_fd(enum request_kind kind, int fd)
{
    struct request request = { .kind = kind, .fd = fd };
    return await(&request);
}

int await_readable(int fd)
{
    return await_fd(REQUEST_READABLE, fd);
}

int await_writable(int fd)
{
    return await_fd(REQUEST_WRITABLE, fd);
}

int await_errored(int fd)
{
    return await_fd(REQUEST_ERRORED, fd);
}

int fd_set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    if (flags == -1 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
        return -errno;
    return 0;
}

int cancel(struct task *task)
{
    struct request request = { .kind = REQUEST_CANCEL_TASK, .task = task };
    return await(&request);
}


bool loop_does_operations(void)
{
    struct loop *loop = loop_current();
    return loop != NULL && poller_does_operations(loop->poller);
}

ssize_t await_operation(struct poller_operation *operation)
{
    struct request request = { .kind = REQUEST_OPERATION, .fd = operation->fd,
                               .operation = operation };
    int status = await(&request);
    return status != 0 ? status : operation->result;
}

int task_join(struct task *task, void **result)
{
    struct request request = { .kind = REQUEST_JOIN, .task = task };
    int status = await(&request);
    if (status != 0)
        return status;
    if (result != NULL)
        *result = task->result;
    task_release(task);         /* the hold the loop took when it accepted the join */
    return 0;
}

static nanoseconds deadline_after(double seconds)
{
    nanoseconds now = clock_now();
    nanoseconds wait = seconds_to_nanoseconds(seconds);
    return wait < CLOCK_FOREVER - now ? now + wait : CLOCK_FOREVER;
}

static void loop_link_scope(struct task *task, struct cancel_scope *scope,
                            nanoseconds deadline, bool shield)
{
    struct cancel_scope *outer = task->scope;
    scope->outer = outer;
    scope->deadline = deadline;
    scope->wait_deadline = deadline;
    scope->shield = shield;
    scope->shielded = shield || (outer != NULL && outer->shielded);
    if (outer != NULL && !shield && outer->wait_deadline < deadline)
        scope->wait_deadline = outer->wait_deadline;
    task->scope = scope;
}

static int loop_enter_scope(struct cancel_scope *scope, double seconds, bool shield)
{
    struct task *task = task_current();
    if (task == NULL)
        return -EPERM;
    if (scope == NULL || !(seconds >= 0))
        return -EINVAL;
    loop_link_scope(task, scope, deadline_after(seconds), shield);
    return 0;
}

int scope_enter(struct cancel_scope *scope, double seconds)
{
    return loop_enter_scope(scope, seconds, false);
}

int scope_enter_shielded(struct cancel_scope *scope, double seconds)
{
    return loop_enter_scope(scope, seconds, true);
}

int scope_leave(struct cancel_scope *scope)
{
    struct task *task = task_current();
    if (task == NULL)
        return -EPERM;
    if (scope == NULL || scope != task->scope)
        return -EINVAL;
    task->scope = scope->outer;
    if (scope->deadline < CLOCK_FOREVER && clock_now() >= scope->deadline)
        return -ETIMEDOUT;
    return 0;
}

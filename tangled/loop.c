#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/select.h>
#include <fcntl.h>

static void loop_make_runnable(struct loop *loop, struct task *task, int status)
{
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

static struct task *loop_spawn(struct loop *loop, task_fn *fn, void *arg)
{
    struct task *task = task_create(fn, arg);
    if (task == NULL)
        return NULL;
    task->loop = loop;
    task->refs = 1;
    loop_make_runnable(loop, task, 0);
    return task;
}

struct task *task_hold(struct task *task)
{
    if (task != NULL)
        task->refs++;
    return task;
}

void task_release(struct task *task)
{
    if (task != NULL && --task->refs == 0)
        task_destroy(task);
}

bool task_is_done(const struct task *task)
{
    return task->state == TASK_DONE;
}

void *task_result(const struct task *task)
{
    return task->result;
}

static void loop_finish_task(struct task *task)
{
    task_free_stack(task);
    task_release(task);
}

static void loop_wake_expired_timers(struct loop *loop)
{
    struct timer *timer;
    loop->now = clock_now();
    while ((timer = timer_heap_peek(&loop->timers)) != NULL &&
           timer->deadline <= loop->now) {
        timer_heap_pop(&loop->timers);
        loop_make_runnable(loop, timer->task, 0);
    }
}

static void loop_watch(struct loop *loop, struct task *task)
{
    task->watch_next = NULL;
    task->watch_prev = loop->last_watcher;
    if (loop->last_watcher != NULL)
        loop->last_watcher->watch_next = task;
    else
        loop->watchers = task;
    loop->last_watcher = task;
    loop->watcher_count++;
}

static void loop_unwatch(struct loop *loop, struct task *task)
{
    if (task->watch_prev != NULL)
        task->watch_prev->watch_next = task->watch_next;
    else
        loop->watchers = task->watch_next;
    if (task->watch_next != NULL)
        task->watch_next->watch_prev = task->watch_prev;
    else
        loop->last_watcher = task->watch_prev;
    task->watch_prev = task->watch_next = NULL;
    loop->watcher_count--;
}

static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

static void loop_fail_watchers_if(struct loop *loop, int fd, int status)
{
    struct task *task = loop->watchers;
    while (task != NULL) {
        struct task *next = task->watch_next;
        int watched = task->request->fd;
        if (watched == fd || (fd < 0 && !fd_is_open(watched))) {
            loop_unwatch(loop, task);
            loop_make_runnable(loop, task, status);
        }
        task = next;
    }
}

static void loop_fail_closed_watchers(struct loop *loop)
{
    loop_fail_watchers_if(loop, -1, -EBADF);
}

void loop_forget_fd(struct loop *loop, int fd, int status)
{
    loop_fail_watchers_if(loop, fd, status);
}

static void loop_stop_waiting(struct loop *loop, struct task *task)
{
    if (task->request->kind == REQUEST_TIMEOUT)
        timer_heap_remove(&loop->timers, &task->timer);
    else
        loop_unwatch(loop, task);
}

static void loop_handle_schedule(struct loop *loop, struct task *task, struct request *request)
{
    request->task = loop_spawn(loop, request->fn, request->arg);
    loop_resume_first(loop, task, request->task != NULL ? 0 : -ENOMEM);
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
    if (request->fd >= FD_SETSIZE) {
        loop_resume_first(loop, task, -EINVAL);
        return;
    }
    if (request->fd < 0 || !fd_is_open(request->fd)) {
        loop_resume_first(loop, task, -EBADF);
        return;
    }
    loop_watch(loop, task);
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
        if (target->state == TASK_WAITING) {
            loop_stop_waiting(loop, target);
            loop_make_runnable(loop, target, -ECANCELED);
        } else if (target->state == TASK_RUNNABLE && target->request != NULL) {
            target->resume_status = -ECANCELED;     /* woken, but not yet told */
        }
    }
    loop_resume_first(loop, task, 0);
}

static void loop_handle_request(struct loop *loop, struct task *task, struct request *request)
{
    switch (request->kind) {
    case REQUEST_SCHEDULE:
        loop_handle_schedule(loop, task, request);
        break;
    case REQUEST_TIMEOUT:
        loop_handle_timeout(loop, task, request);
        break;
    case REQUEST_READABLE:
    case REQUEST_WRITABLE:
    case REQUEST_ERRORED:
        loop_handle_watch(loop, task, request);
        break;
    case REQUEST_CANCEL_TASK:
        loop_handle_cancel(loop, task, request);
        break;
    default:
        loop_resume_first(loop, task, -EINVAL);
        break;
    }
}

struct fd_sets {
    fd_set read;
    fd_set write;
    fd_set error;
};

static fd_set *watch_set(const struct request *request, struct fd_sets *sets)
{
    switch (request->kind) {
    case REQUEST_READABLE:
        return &sets->read;
    case REQUEST_WRITABLE:
        return &sets->write;
    default:
        return &sets->error;
    }
}

static int loop_fill_fd_sets(struct loop *loop, struct fd_sets *sets)
{
    int max_fd = -1;
    for (struct task *task = loop->watchers; task != NULL; task = task->watch_next) {
        int fd = task->request->fd;
        FD_SET(fd, watch_set(task->request, sets));
        if (fd > max_fd)
            max_fd = fd;
    }
    return max_fd;
}

static void loop_wake_ready_watchers(struct loop *loop, struct fd_sets *sets)
{
    struct task *task = loop->watchers;
    while (task != NULL) {
        struct task *next = task->watch_next;
        if (FD_ISSET(task->request->fd, watch_set(task->request, sets))) {
            loop_unwatch(loop, task);
            loop_make_runnable(loop, task, 0);
        }
        task = next;
    }
}

static struct timeval *loop_select_timeout(struct loop *loop, struct timeval *timeout)
{
    struct timer *next = timer_heap_peek(&loop->timers);
    nanoseconds wait = 0;
    if (task_queue_is_empty(&loop->runnable)) {
        if (next == NULL)
            return NULL;
        loop->now = clock_now();
        wait = next->deadline > loop->now ? next->deadline - loop->now : 0;
    }
    nanoseconds microseconds = (wait + 999) / 1000;
    timeout->tv_sec = (time_t)(microseconds / 1000000);
    timeout->tv_usec = (suseconds_t)(microseconds % 1000000);
    return timeout;
}

static void loop_wait(struct loop *loop)
{
    struct fd_sets sets;
    struct timeval timeout;
    int max_fd = -1;
    FD_ZERO(&sets.read);
    FD_ZERO(&sets.write);
    FD_ZERO(&sets.error);
    max_fd = loop_fill_fd_sets(loop, &sets);
    int ready = select(max_fd + 1, &sets.read, &sets.write, &sets.error,
                       loop_select_timeout(loop, &timeout));
    if (ready < 0 && errno == EBADF) {
        loop_fail_closed_watchers(loop);
        ready = 0;
    }
    if (ready > 0)
        loop_wake_ready_watchers(loop, &sets);
    if (ready < 0 && errno != EINTR)
        loop->failure = -errno;
}

static void loop_run_task(struct loop *loop, struct task *task)
{
    task_resume(task);
    if (task->state == TASK_DONE)
        loop_finish_task(task);
    else
        loop_handle_request(loop, task, task->request);
}

static void loop_run_ready_tasks(struct loop *loop)
{
    loop->turns_left = loop->runnable.length;
    while (loop->turns_left > 0) {
        loop->turns_left--;
        loop_run_task(loop, task_queue_pop(&loop->runnable));
    }
}

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

int await(struct request *request)
{
    struct task *task = task_current();
    if (task == NULL)
        return -EPERM;
    if (request == NULL)
        return -EINVAL;
    if (task->cancel_pending) {
        task->cancel_pending = false;
        return -ECANCELED;
    }
    task->request = request;
    task_yield();
    if (task->resume_status == -ECANCELED)
        task->cancel_pending = false;
    return task->resume_status;
}

int event_loop(task_fn *main, void *arg)
{
    struct loop loop = { 0 };
    if (task_current() != NULL)
        return -EPERM;
    if (loop_spawn(&loop, main, arg) == NULL)
        return -ENOMEM;
    while (loop.failure == 0 && loop_has_work(&loop))
        loop_run_once(&loop);
    timer_heap_free(&loop.timers);
    return loop.failure;
}

struct task *schedule(task_fn *fn, void *arg)
{
    struct request request = { .kind = REQUEST_SCHEDULE, .fn = fn, .arg = arg };
    int status = await(&request);
    if (status != 0) {
        errno = -status;
        return NULL;
    }
    return request.task;
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


/* programs/join_cases.c, tangled from chapter 15 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Count the tasks that run, and name what a join returned (chapter 15) */
static _Thread_local int live_tasks;    /* tasks of this thread still running */

static void count_start(void)
{
    live_tasks++;
}

static void *count_end(void *result)
{
    live_tasks--;
    return result;
}

static const char *status_name(int status)
{
    return status == 0 ? "ok" : strerror(-status);
}

static const char *text(void *result)
{
    return result != NULL ? result : "(nothing)";
}

static const char *yes_no(bool answer)
{
    return answer ? "yes" : "no";
}
/* Define the tasks that are joined, and the tasks that join them (chapter 15) */
struct gate {
    bool open;                  /* main opens it when the task is to end */
    char *result;               /* what the task then returns */
};

static void *held_back(void *arg)
{
    struct gate *gate = arg;
    count_start();
    while (!gate->open)
        async_sleep(0);
    return count_end(gate->result);
}

static void *return_at_once(void *arg)
{
    count_start();
    return count_end(arg);
}

struct joiner {
    int number;
    struct task *target;        /* the task it joins, which main holds */
    bool sleeps_after;          /* say what a sleep after the join returns */
};

static void *join_and_say(void *arg)
{
    struct joiner *self = arg;
    void *result = NULL;
    count_start();
    int status = task_join(self->target, &result);
    if (status == 0)
        printf("joiner %d: ok, \"%s\"\n", self->number, text(result));
    else
        printf("joiner %d: %s; its task done: %s\n", self->number,
               status_name(status), yes_no(task_is_done(self->target)));
    if (self->sleeps_after)
        printf("joiner %d: its next sleep returned %s\n", self->number,
               status_name(async_sleep(0)));
    return count_end(NULL);
}

/* Start a joiner for each of jobs[0..count-1], holding each in handles[]. */
static void start_joiners(struct joiner *jobs, int count, struct task **handles)
{
    for (int i = 0; i < count; i++)
        schedule(join_and_say, &jobs[i], &handles[i]);
}

/* Wait for each of the tasks to end, and let go of them. */
static void join_and_release(struct task **tasks, int count)
{
    for (int i = 0; i < count; i++) {
        task_join(tasks[i], NULL);
        task_release(tasks[i]);
    }
}
/* Join a finished task, then one that three tasks wait for (chapter 15) */
static void *witness(void *arg)
{
    (void)arg;
    count_start();
    printf("witness: runs after main's join, not during it\n");
    return count_end(NULL);
}

static void join_a_finished_task(void)
{
    struct task *done = NULL;
    void *result = NULL;
    schedule(return_at_once, "quick's result", &done);
    async_sleep(0);                         /* it runs, and returns */
    schedule(witness, NULL, NULL);
    printf("join a finished task: ");
    int status = task_join(done, &result);
    printf("%s, \"%s\"\n", status_name(status), text(result));
    task_release(done);
    async_sleep(0);                         /* the witness's turn */
}

static void three_joiners(void)
{
    struct gate gate = { false, "slow's result" };
    struct task *slow = NULL, *handles[3] = { NULL };
    schedule(held_back, &gate, &slow);
    struct joiner jobs[3] = { { 1, slow, false }, { 2, slow, false },
                              { 3, slow, false } };
    start_joiners(jobs, 3, handles);
    printf("joiners 1, 2 and 3 start, to wait for slow\n");
    async_sleep(0);
    gate.open = true;
    join_and_release(handles, 3);
    task_release(slow);
}
/* Cancel joiners while they wait, and one after it was woken (chapter 15) */
static void cancel_waiting_joiners(void)
{
    struct gate gate = { false, "slow's result" };
    struct task *slow = NULL, *handles[4] = { NULL };
    schedule(held_back, &gate, &slow);
    struct joiner jobs[4] = { { 1, slow, false }, { 2, slow, false },
                              { 3, slow, false }, { 4, slow, false } };
    start_joiners(jobs, 3, handles);
    async_sleep(0);                         /* the three wait */
    printf("main cancels joiner 2: %s\n", status_name(cancel(handles[1])));
    printf("main cancels joiner 3: %s\n", status_name(cancel(handles[2])));
    start_joiners(&jobs[3], 1, &handles[3]);
    printf("joiner 4 starts, to wait after them\n");
    async_sleep(0);                         /* joiners 2 and 3 run; 4 waits */
    gate.open = true;
    join_and_release(handles, 4);
    task_release(slow);
}

static void *yield_once(void *arg)
{
    count_start();
    async_sleep(0);
    return count_end(arg);
}

static void *cancel_after_a_turn(void *arg)
{
    struct task **joiner = arg;
    count_start();
    async_sleep(0);                         /* meanwhile the target ends */
    printf("canceller: cancels joiner 5, woken and not yet run: %s\n",
           status_name(cancel(*joiner)));
    return count_end(NULL);
}

static void cancel_a_woken_joiner(void)
{
    struct task *target = NULL, *handle = NULL, *other = NULL;
    schedule(yield_once, "brief's result", &target);
    struct joiner job = { 5, target, true };
    schedule(join_and_say, &job, &handle);
    schedule(cancel_after_a_turn, &handle, &other);
    join_and_release(&other, 1);
    join_and_release(&handle, 1);
    task_release(target);
}
/* Let go of a task while another waits to join it (chapter 15) */
static void let_go_while_joined(void)
{
    struct gate gate = { false, "slow's result" };
    struct task *slow = NULL, *handle = NULL;
    schedule(held_back, &gate, &slow);
    struct joiner job = { 6, slow, false };
    schedule(join_and_say, &job, &handle);
    async_sleep(0);                         /* joiner 6 waits */
    task_release(slow);
    printf("main lets go of slow while joiner 6 waits for it\n");
    gate.open = true;
    join_and_release(&handle, 1);
}
/* Join a task that was cancelled, and join with a cancel pending (chapter 15) */
static void *sleep_and_return_anyway(void *arg)
{
    count_start();
    int status = async_sleep(10);
    printf("victim: its sleep returned %s, and it returns all the same\n",
           status_name(status));
    return count_end(arg);
}

static void join_a_cancelled_task(void)
{
    struct task *cancelled = NULL, *plain = NULL;
    void *result = NULL;
    schedule(sleep_and_return_anyway, "victim's result", &cancelled);
    async_sleep(0);                         /* it sleeps */
    cancel(cancelled);
    int status = task_join(cancelled, &result);
    printf("join a cancelled task: %s, \"%s\"; task_was_cancelled: %s\n",
           status_name(status), text(result), yes_no(task_was_cancelled(cancelled)));
    schedule(return_at_once, "quick's result", &plain);
    task_join(plain, NULL);
    printf("a task that returned: task_was_cancelled: %s; ",
           yes_no(task_was_cancelled(plain)));
    cancel(plain);
    printf("after a cancel once it had finished: %s\n",
           yes_no(task_was_cancelled(plain)));
    printf("task_was_cancelled(NULL): %s\n", yes_no(task_was_cancelled(NULL)));
    task_release(cancelled);
    task_release(plain);
}

static void join_with_a_cancel_pending(void)
{
    struct gate gate = { false, "slow's result" };
    struct task *slow = NULL;
    void *result = NULL;
    schedule(held_back, &gate, &slow);
    cancel(task_current());
    int status = task_join(slow, &result);
    printf("join with a cancel pending: %s; slow done: %s\n", status_name(status),
           yes_no(task_is_done(slow)));
    gate.open = true;
    status = task_join(slow, &result);
    printf("join it again: %s, \"%s\"\n", status_name(status), text(result));
    task_release(slow);
}
/* Lend a task of a second loop (chapter 15) */
struct foreign {
    int ready[2];               /* loop 2's thread says: its task is held, and done */
    int done[2];                /* main says: loop 1 has tried to join it */
    struct task *task;          /* a finished task of loop 2, held by its thread */
    pthread_t thread;
};

static void *hold_a_finished_task(void *arg)
{
    struct foreign *foreign = arg;
    if (schedule(return_at_once, "loop 2's result", &foreign->task) == 0)
        async_sleep(0);                     /* it runs, and returns */
    return NULL;
}

static void *run_loop_2(void *arg)
{
    struct foreign *foreign = arg;
    char byte;
    event_loop(hold_a_finished_task, foreign);
    if (write(foreign->ready[1], "!", 1) == 1)
        while (read(foreign->done[0], &byte, 1) < 0 && errno == EINTR)
            continue;
    task_release(foreign->task);
    return NULL;
}

/* Start loop 2's thread, and wait until its task is there to be tried. */
static int start_loop_2(struct foreign *foreign)
{
    char byte;
    if (pipe(foreign->ready) != 0 || pipe(foreign->done) != 0)
        return -errno;
    int status = -pthread_create(&foreign->thread, NULL, run_loop_2, foreign);
    if (status == 0 && read(foreign->ready[0], &byte, 1) != 1)
        status = -EIO;
    return status;
}

/* Tell loop 2's thread that loop 1 is done with its task, and wait for it to end. */
static void stop_loop_2(struct foreign *foreign)
{
    close(foreign->done[1]);                /* its read returns */
    pthread_join(foreign->thread, NULL);
    close(foreign->done[0]);
    close(foreign->ready[0]);
    close(foreign->ready[1]);
}
/* Refuse NULL, another loop's task, myself and a ring (chapter 15) */
struct ring_member {
    const char *name;
    struct task *next;          /* the member it joins */
    const char *next_name;
    char *result;               /* what it returns */
};

static void *join_the_next(void *arg)
{
    struct ring_member *self = arg;
    void *result = NULL;
    count_start();
    int status = task_join(self->next, &result);
    if (status == 0)
        printf("%s joined %s: ok, \"%s\"\n", self->name, self->next_name,
               text(result));
    else
        printf("%s joins %s: %s\n", self->name, self->next_name, status_name(status));
    return count_end(self->result);
}

static void join_a_ring(void)
{
    static const char *const names[3] = { "A", "B", "C" };
    static char *const results[3] = { "A's result", "B's result", "C's result" };
    struct ring_member ring[3];
    struct task *members[3] = { NULL };
    for (int i = 0; i < 3; i++)
        schedule(join_the_next, &ring[i], &members[i]);
    for (int i = 0; i < 3; i++)
        ring[i] = (struct ring_member){ names[i], members[(i + 1) % 3],
                                        names[(i + 1) % 3], results[i] };
    printf("a ring: A joins B, B joins C, and C joins A\n");
    void *result = NULL;
    int status = task_join(members[0], &result);
    printf("main joined A: %s, \"%s\"\n", status_name(status), text(result));
    for (int i = 0; i < 3; i++)
        task_release(members[i]);
}

static void refuse_what_would_never_end(struct foreign *foreign)
{
    printf("join NULL: %s\n", status_name(task_join(NULL, NULL)));
    printf("join a task of another loop: %s\n",
           status_name(task_join(foreign->task, NULL)));
    printf("join myself: %s\n", status_name(task_join(task_current(), NULL)));
    join_a_ring();
}
/* Run every case of task_join (chapter 15) */
static void *join_cases(void *arg)
{
    count_start();
    join_a_finished_task();
    three_joiners();
    cancel_waiting_joiners();
    cancel_a_woken_joiner();
    let_go_while_joined();
    join_a_cancelled_task();
    join_with_a_cancel_pending();
    refuse_what_would_never_end(arg);
    return count_end(NULL);
}

int main(void)
{
    static struct foreign foreign;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("join outside a task: %s\n", status_name(task_join(NULL, NULL)));
    int status = start_loop_2(&foreign);
    if (status != 0) {
        printf("cannot start a second loop: %s\n", strerror(-status));
        return 1;
    }
    status = event_loop(join_cases, &foreign);
    stop_loop_2(&foreign);
    printf("event_loop returned %d; tasks still running: %d\n", status, live_tasks);
    return status == 0 && live_tasks == 0 ? 0 : 1;
}

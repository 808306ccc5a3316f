/* programs/loops.c, tangled from chapter 14 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Run many tasks on each of several loops at once (chapter 14) */
enum { TASKS = 100, TURNS = 1000, MAX_THREADS = 64 };

struct loop_run {
    int number;
    long turns;                 /* turns its tasks took */
    long strays;                /* turns after which a task was not itself */
    int status;                 /* what event_loop returned */
    pthread_t thread;
};

static void *turner(void *arg)
{
    struct loop_run *run = arg;
    struct task *self = task_current();
    for (int i = 1; i <= TURNS; i++) {
        async_sleep(i % 100 == 0 ? 0.001 : 0);
        if (task_current() != self)
            run->strays++;
        run->turns++;
    }
    return NULL;
}

static void *start_turners(void *arg)
{
    for (int i = 0; i < TASKS; i++)
        if (schedule(turner, arg, NULL) != 0)
            break;
    return NULL;
}

static void *run_turners(void *arg)
{
    struct loop_run *run = arg;
    run->status = event_loop(start_turners, run);
    return NULL;
}
/* Hand a task to another loop, which may not cancel it (chapter 14) */
struct handoff {
    int there[2];               /* the first loop tells the second: the handle is set */
    int back[2];                /* the second tells the first: it has tried */
    struct task *sleeper;       /* a task of the first loop */
    int foreign_cancel;         /* what cancel() returned on the second loop */
    int sleep_status;           /* what the sleeper's sleep returned */
};

static int wait_for_word(int fd)
{
    char byte;
    int status = await_readable(fd);
    if (status == 0 && read(fd, &byte, 1) != 1)
        status = -EIO;
    return status;
}

static void *sleeper(void *arg)
{
    struct handoff *handoff = arg;
    handoff->sleep_status = async_sleep(10);
    return NULL;
}

static void *first_loop(void *arg)
{
    struct handoff *handoff = arg;
    if (schedule(sleeper, handoff, &handoff->sleeper) != 0)
        return NULL;
    if (write(handoff->there[1], "!", 1) == 1 && wait_for_word(handoff->back[0]) == 0)
        cancel(handoff->sleeper);
    while (!task_is_done(handoff->sleeper))
        async_sleep(0.001);
    task_release(handoff->sleeper);
    return NULL;
}

static void *second_loop(void *arg)
{
    struct handoff *handoff = arg;
    if (wait_for_word(handoff->there[0]) == 0)
        handoff->foreign_cancel = cancel(handoff->sleeper);
    if (write(handoff->back[1], "!", 1) != 1)
        handoff->foreign_cancel = -errno;
    return NULL;
}

static void *run_second_loop(void *arg)
{
    event_loop(second_loop, arg);
    return NULL;
}
/* Run the loops on their threads and report (chapter 14) */
static int run_loops(int count)
{
    struct loop_run runs[MAX_THREADS] = { 0 };
    for (int i = 0; i < count; i++) {
        runs[i].number = i + 1;
        if (pthread_create(&runs[i].thread, NULL, run_turners, &runs[i]) != 0)
            return -1;
    }
    for (int i = 0; i < count; i++)
        pthread_join(runs[i].thread, NULL);
    printf("%d loops ran at once, one per thread\n", count);
    for (int i = 0; i < count; i++)
        printf("loop %d: %s; %ld turns; every task was itself after each: %s\n",
               runs[i].number, runs[i].status == 0 ? "ok" : strerror(-runs[i].status),
               runs[i].turns, runs[i].strays == 0 ? "yes" : "no");
    return 0;
}

static int hand_over_a_task(void)
{
    struct handoff handoff = { .foreign_cancel = 1 };
    pthread_t thread;
    if (pipe(handoff.there) != 0 || pipe(handoff.back) != 0 ||
        pthread_create(&thread, NULL, run_second_loop, &handoff) != 0)
        return -1;
    int status = event_loop(first_loop, &handoff);
    pthread_join(thread, NULL);
    printf("loop 2 cancels a task of loop 1: %s\n", strerror(-handoff.foreign_cancel));
    printf("loop 1 cancels it itself: its sleep returns %s\n",
           status == 0 ? strerror(-handoff.sleep_status) : "(no loop)");
    return 0;
}

int main(int argc, char **argv)
{
    long count = 4;
    if (argc > 2 || (argc == 2 && parse_number(argv[1], 1, MAX_THREADS, &count) != 0)) {
        fprintf(stderr, "usage: loops [THREADS]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    return run_loops((int)count) == 0 && hand_over_a_task() == 0 ? 0 : 1;
}

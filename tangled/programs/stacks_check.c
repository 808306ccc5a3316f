/* programs/stacks_check.c, tangled from chapter 11 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Note where a task's stack is (chapter 11) */
static void *note_stack(void *arg)
{
    volatile char here = 0;
    *(uintptr_t *)arg = (uintptr_t)&here;
    return NULL;
}

static int check_reuse(void)
{
    uintptr_t first = 0, second = 0;
    struct task *task = NULL;
    if (schedule(note_stack, &first, &task) != 0)
        return 1;
    async_sleep(0);
    task_release(task);
    if (schedule(note_stack, &second, &task) != 0)
        return 1;
    async_sleep(0);
    task_release(task);
    printf("reuse: %s\n", first == second ? "the second task ran on the first one's stack"
                                          : "the second task got a new stack");
    return 0;
}
/* Dig deeper than a stack is, then yield (chapter 11) */
static int dig(int kib)
{
    volatile char frame[1024];
    memset((char *)frame, kib, sizeof frame);
    if (kib > 1)
        return dig(kib - 1) + frame[0];
    async_sleep(0);
    return frame[0];
}

static void *dig_task(void *arg)
{
    printf("digging %d KiB\n", *(int *)arg);
    fflush(stdout);
    dig(*(int *)arg);
    printf("dug through without being stopped\n");
    fflush(stdout);                 /* abort() would not */
    return NULL;
}

static void *sleep_long(void *arg)
{
    (void)arg;
    async_sleep(3600);
    return NULL;
}
/* Ask the pool its three questions (chapter 11) */
static int check_overflow(long neighbours)
{
    static int kib = 96;
    struct task *task = NULL;
    for (long i = 0; i < neighbours; i++) {
        if (schedule(sleep_long, NULL, NULL) != 0) {
            fprintf(stderr, "stacks_check: cannot spawn task %ld\n", i);
            return 1;
        }
    }
    async_sleep(0);
    if (schedule(dig_task, &kib, &task) != 0)
        return 1;
    async_sleep(0.1);               /* time for the digger to finish, if it can */
    task_release(task);
    return 0;
}

static int status = 1;

static void *run_check(void *arg)
{
    char **argv = arg;
    if (strcmp(argv[1], "reuse") == 0)
        status = check_reuse();
    else if (strcmp(argv[1], "overflow-reused") == 0)
        status = check_reuse() == 0 ? check_overflow(0) : 1;
    else if (strcmp(argv[1], "overflow-unguarded") == 0)
        status = check_overflow(strtol(argv[2], NULL, 10));
    return NULL;
}

int main(int argc, char **argv)
{
    if ((argc != 2 || (strcmp(argv[1], "reuse") && strcmp(argv[1], "overflow-reused")))
        && (argc != 3 || strcmp(argv[1], "overflow-unguarded"))) {
        fputs("usage: stacks_check reuse | overflow-reused | overflow-unguarded TASKS\n",
              stderr);
        return 2;
    }
    if (event_loop(run_check, argv) != 0)
        return 1;
    return status;
}

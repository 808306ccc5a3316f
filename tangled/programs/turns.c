/* programs/turns.c, tangled from chapter 2 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "coroutine.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Walk a few steps, yielding after each (chapter 2) */
struct walker {
    int number;
    int steps;
    int quiet;
};

static void *walk(void *arg)
{
    struct walker *walker = arg;
    for (int step = 1; step <= walker->steps; step++) {
        if (!walker->quiet)
            printf("task %d: step %d\n", walker->number, step);
        coroutine_yield();
    }
    return NULL;
}

/* Create one walker task per number (chapter 2) */
static int create_walkers(struct coroutine **tasks, struct walker *walkers,
                          int ntasks, int steps)
{
    for (int i = 0; i < ntasks; i++) {
        walkers[i] = (struct walker){ i + 1, steps, ntasks > 20 };
        tasks[i] = coroutine_create(walk, &walkers[i]);
        if (tasks[i] == NULL) {
            fprintf(stderr, "turns: cannot create task %d: %s\n",
                    i + 1, strerror(errno));
            while (i-- > 0)
                coroutine_destroy(tasks[i]);
            return -1;
        }
    }
    return 0;
}

/* Run the walkers round-robin until all are done (chapter 2) */
static void take_turns(struct coroutine **tasks, int ntasks)
{
    int alive = ntasks;
    while (alive > 0) {
        for (int i = 0; i < ntasks; i++) {
            if (tasks[i] == NULL)
                continue;
            coroutine_resume(tasks[i]);
            if (coroutine_is_done(tasks[i])) {
                coroutine_destroy(tasks[i]);
                tasks[i] = NULL;
                alive--;
            }
        }
    }
}

/* Dig deeper than a task's stack on purpose (chapter 2) */
static int burrow(int kib)
{
    volatile char frame[1000];
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (char)kib;
    return kib <= 1 ? frame[0] : burrow(kib - 1) + frame[1];
}

static void *dig(void *arg)
{
    int kib = *(int *)arg;
    printf("task 1: digging %d KiB deep into a %d KiB stack\n",
           kib, COROUTINE_STACK_SIZE / 1024);
    burrow(kib);
    printf("task 1: back up safely\n");
    return NULL;
}

static int overflow(int kib)
{
    struct walker neighbour = { 2, 2, 0 };
    struct coroutine *tasks[2];
    setvbuf(stdout, NULL, _IOLBF, 0);
    tasks[1] = coroutine_create(dig, &kib);
    tasks[0] = coroutine_create(walk, &neighbour);
    if (tasks[0] == NULL || tasks[1] == NULL) {
        fprintf(stderr, "turns: cannot create a coroutine: %s\n", strerror(errno));
        coroutine_destroy(tasks[0]);
        coroutine_destroy(tasks[1]);
        return 1;
    }
    take_turns(tasks, 2);
    printf("2 tasks created and finished\n");
    return 0;
}

/* Read a count from the command line (chapter 2) */
static bool parse_count(const char *text, int min, int *count)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0'
        || value < min || value > INT_MAX)
        return false;
    *count = (int)value;
    return true;
}

static int usage(void)
{
    fprintf(stderr, "usage: turns [TASKS [STEPS [ROUNDS]]]\n"
                    "       turns --overflow [KIB]\n");
    return 2;
}

/* Run the rounds the command line asks for (chapter 2) */
int main(int argc, char **argv)
{
    int ntasks = 3, steps = 2, rounds = 1, kib = 128;
    if (argc > 1 && strcmp(argv[1], "--overflow") == 0) {
        if (argc > 3 || (argc == 3 && !parse_count(argv[2], 1, &kib)))
            return usage();
        return overflow(kib);
    }
    if (argc > 4 || (argc > 1 && !parse_count(argv[1], 1, &ntasks))
        || (argc > 2 && !parse_count(argv[2], 0, &steps))
        || (argc > 3 && !parse_count(argv[3], 1, &rounds)))
        return usage();
    struct coroutine **tasks = calloc((size_t)ntasks, sizeof *tasks);
    struct walker *walkers = calloc((size_t)ntasks, sizeof *walkers);
    long finished = 0;
    if (tasks == NULL || walkers == NULL)
        fprintf(stderr, "turns: out of memory\n");
    for (int round = 0; round < rounds && tasks && walkers; round++) {
        if (create_walkers(tasks, walkers, ntasks, steps) != 0)
            break;
        take_turns(tasks, ntasks);
        finished += ntasks;
    }
    printf("%ld tasks created and finished\n", finished);
    free(tasks);
    free(walkers);
    return finished == (long)ntasks * rounds ? 0 : 1;
}

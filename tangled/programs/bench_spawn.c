/* programs/bench_spawn.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"
#include "measure.h"

#include <stdio.h>

/* Spawn tasks that do nothing, a batch at a time (chapter 9) */
enum { SPAWN_BATCH = 100 };

struct spawn_run {
    long tasks;
    long failed;
};

static void *do_nothing(void *arg)
{
    return arg;
}

static void *spawner(void *arg)
{
    struct spawn_run *run = arg;
    for (long started = 0; started < run->tasks;) {
        for (int i = 0; i < SPAWN_BATCH && started < run->tasks; i++, started++)
            if (schedule(do_nothing, NULL, NULL) != 0)
                run->failed++;
        async_sleep(0);
    }
    return NULL;
}

/* Time the tasks and print one line (chapter 9) */
static int usage(void)
{
    fputs("usage: bench_spawn COUNT\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct spawn_run run = { 0 };
    if (argc != 2 || parse_number(argv[1], 1, 1000000000, &run.tasks) != 0)
        return usage();
    long long wall = now_ns(), cpu = cpu_ns();
    int status = event_loop(spawner, &run);
    wall = now_ns() - wall;
    cpu = cpu_ns() - cpu;
    if (status != 0 || run.failed != 0) {
        fprintf(stderr, "bench_spawn: the loop failed (%d), %ld tasks not started\n",
                status, run.failed);
        return 1;
    }
    printf("spawn tasks=%ld batch=%d ns_per_task=%.1f cpu_ns_per_task=%.1f\n", run.tasks,
           SPAWN_BATCH, (double)wall / (double)run.tasks, (double)cpu / (double)run.tasks);
    return 0;
}

/* programs/bench_yield.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"
#include "measure.h"

#include <stdio.h>

/* Yield ROUNDS times in each of TASKS tasks (chapter 9) */
struct yield_run {
    long tasks;
    long rounds;
    long failed;
};

static void *yielder(void *arg)
{
    struct yield_run *run = arg;
    for (long i = 0; i < run->rounds; i++)
        if (async_sleep(0) != 0)
            run->failed++;
    return NULL;
}

static void *start_yielders(void *arg)
{
    struct yield_run *run = arg;
    for (long i = 0; i < run->tasks; i++)
        if (schedule(yielder, run, NULL) != 0)
            run->failed++;
    return NULL;
}

/* Time the yields and print one line (chapter 9) */
static int usage(void)
{
    fputs("usage: bench_yield TASKS ROUNDS\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct yield_run run = { 0 };
    if (argc != 3 || parse_number(argv[1], 1, 10000, &run.tasks) != 0
        || parse_number(argv[2], 1, 1000000000, &run.rounds) != 0)
        return usage();
    long long wall = now_ns(), cpu = cpu_ns();
    int status = event_loop(start_yielders, &run);
    wall = now_ns() - wall;
    cpu = cpu_ns() - cpu;
    if (status != 0 || run.failed != 0) {
        fprintf(stderr, "bench_yield: the loop failed (%d), %ld calls failed\n",
                status, run.failed);
        return 1;
    }
    double yields = (double)run.tasks * (double)run.rounds;
    printf("yield tasks=%ld rounds=%ld ns_per_yield=%.1f cpu_ns_per_yield=%.1f\n",
           run.tasks, run.rounds, (double)wall / yields, (double)cpu / yields);
    return 0;
}

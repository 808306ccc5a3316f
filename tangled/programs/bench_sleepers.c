/* programs/bench_sleepers.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"
#include "measure.h"

#include <stdio.h>
#include <stdlib.h>

/* Pick the same random deadlines every time (chapter 9) */
static double random_fraction(unsigned long long *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (double)(*state >> 11) / 9007199254740992.0;     /* 2 to the 53 */
}

/* Sleep until a deadline and note how late the task woke (chapter 9) */
struct sleeper {
    double seconds;
    long long lateness;
};

static void *sleeper(void *arg)
{
    struct sleeper *sleeper = arg;
    long long deadline = now_ns() + (long long)(sleeper->seconds * 1e9);
    async_sleep(sleeper->seconds);
    sleeper->lateness = now_ns() - deadline;
    return NULL;
}

struct sleepers_run {
    long count;
    struct sleeper *sleepers;
};

static void *start_sleepers(void *arg)
{
    struct sleepers_run *run = arg;
    for (long i = 0; i < run->count; i++)
        schedule(sleeper, &run->sleepers[i], NULL);
    return NULL;
}

/* Report the wall time, the CPU time and the lateness (chapter 9) */
static int usage(void)
{
    fputs("usage: bench_sleepers COUNT [SPAN_MS]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct sleepers_run run = { 0 };
    long span_ms = 1000, early = 0;
    if (argc < 2 || argc > 3 || parse_number(argv[1], 1, 100000, &run.count) != 0
        || (argc == 3 && parse_number(argv[2], 0, 60000, &span_ms) != 0))
        return usage();
    run.sleepers = calloc((size_t)run.count, sizeof *run.sleepers);
    long long *lateness = calloc((size_t)run.count, sizeof *lateness);
    if (run.sleepers == NULL || lateness == NULL)
        return 1;
    unsigned long long state = 88172645463325252ULL;
    for (long i = 0; i < run.count; i++)
        run.sleepers[i].seconds = random_fraction(&state) * (double)span_ms / 1000.0;
    long long wall = now_ns(), cpu = cpu_ns();
    int status = event_loop(start_sleepers, &run);
    wall = now_ns() - wall;
    cpu = cpu_ns() - cpu;
    for (long i = 0; i < run.count; i++) {
        lateness[i] = run.sleepers[i].lateness;
        early += lateness[i] < 0;
    }
    sort_times(lateness, (size_t)run.count);
    if (status != 0 || early != 0) {
        fprintf(stderr, "bench_sleepers: the loop failed (%d), %ld tasks woke early\n",
                status, early);
        return 1;
    }
    size_t n = (size_t)run.count;
    printf("sleepers tasks=%ld span_ms=%ld wall_ms=%.1f cpu_ms=%.1f late_p50_us=%.1f "
           "late_p99_us=%.1f late_max_us=%.1f\n", run.count, span_ms, wall / 1e6,
           cpu / 1e6, percentile(lateness, n, 0.5) / 1e3, percentile(lateness, n, 0.99) / 1e3,
           percentile(lateness, n, 1.0) / 1e3);
    free(lateness);
    free(run.sleepers);
    return 0;
}

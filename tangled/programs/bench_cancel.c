/* programs/bench_cancel.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"
#include "measure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* Cancel a sleeping task and time how long it takes to notice (chapter 9) */
struct cancel_run {
    long rounds;
    long long *latency;
    long long cancelled_at, noticed_at;
    long wrong;
};

static struct cancel_run run;

static void *victim(void *arg)
{
    (void)arg;
    int status = async_sleep(3600);
    run.noticed_at = now_ns();
    if (status != -ECANCELED)
        run.wrong++;
    return NULL;
}

static void *canceller(void *arg)
{
    (void)arg;
    for (long i = 0; i < run.rounds; i++) {
        struct task *task;
        if (schedule(victim, NULL, &task) != 0) {
            run.wrong++;
            return NULL;
        }
        async_sleep(0);
        run.cancelled_at = now_ns();
        cancel(task);
        while (!task_is_done(task))
            async_sleep(0);
        run.latency[i] = run.noticed_at - run.cancelled_at;
        task_release(task);
    }
    return NULL;
}

/* Report the latency of a cancellation (chapter 9) */
static int usage(void)
{
    fputs("usage: bench_cancel ROUNDS\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc != 2 || parse_number(argv[1], 1, 10000000, &run.rounds) != 0)
        return usage();
    run.latency = calloc((size_t)run.rounds, sizeof *run.latency);
    if (run.latency == NULL)
        return 1;
    int status = event_loop(canceller, NULL);
    if (status != 0 || run.wrong != 0) {
        fprintf(stderr, "bench_cancel: the loop failed (%d), %ld victims not cancelled\n",
                status, run.wrong);
        return 1;
    }
    size_t n = (size_t)run.rounds;
    sort_times(run.latency, n);
    printf("cancel rounds=%ld p50_ns=%lld p99_ns=%lld max_ns=%lld\n", run.rounds,
           percentile(run.latency, n, 0.5), percentile(run.latency, n, 0.99),
           percentile(run.latency, n, 1.0));
    free(run.latency);
    return 0;
}

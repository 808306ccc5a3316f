/* programs/calls_check.c, tangled from chapter 11 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"
#include "args.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Wait on one pipe many times, then once more after a plain close (chapter 11) */
struct pipe_run {
    long rounds;
    int ends[2];
    long answered;
    int after_close;
};

static void *watch_one_pipe(void *arg)
{
    struct pipe_run *run = arg;
    char byte;
    for (long i = 0; i < run->rounds; i++) {
        if (write(run->ends[1], "x", 1) != 1 || await_readable(run->ends[0]) != 0)
            break;
        if (read(run->ends[0], &byte, 1) == 1)
            run->answered++;
    }
    close(run->ends[0]);
    run->after_close = await_readable(run->ends[0]);
    close(run->ends[1]);
    return NULL;
}

static int check_watch(long rounds)
{
    struct pipe_run run = { .rounds = rounds };
    if (pipe(run.ends) != 0) {
        perror("calls_check: pipe");
        return 1;
    }
    int status = event_loop(watch_one_pipe, &run);
    printf("watch: waited on one pipe %ld times: %ld answered\n", run.rounds,
           run.answered);
    printf("watch: a wait after a plain close: %s\n",
           run.after_close < 0 ? strerror(-run.after_close) : "answered");
    return status == 0 && run.answered == run.rounds ? 0 : 1;
}

/* Yield without end while a sleeper and a reader wait their turn (chapter 11) */
enum { SPIN_LIMIT = 100000000 };

struct spin_run {
    int ends[2];
    bool slept, read;
    long yields;
};

static void *sleep_briefly(void *arg)
{
    struct spin_run *run = arg;
    run->slept = async_sleep(0.02) == 0;
    return NULL;
}

static void *read_the_byte(void *arg)
{
    struct spin_run *run = arg;
    char byte;
    run->read = await_readable(run->ends[0]) == 0 && read(run->ends[0], &byte, 1) == 1;
    return NULL;
}

static void *spin(void *arg)
{
    struct spin_run *run = arg;
    if (schedule(sleep_briefly, run, NULL) != 0)
        return NULL;
    if (schedule(read_the_byte, run, NULL) != 0)
        return NULL;
    while (!(run->slept && run->read) && run->yields < SPIN_LIMIT) {
        async_sleep(0);
        run->yields++;
    }
    return NULL;
}

static int check_spin(void)
{
    struct spin_run run = { 0 };
    if (pipe(run.ends) != 0 || write(run.ends[1], "x", 1) != 1) {
        perror("calls_check: pipe");
        return 1;
    }
    int status = event_loop(spin, &run);
    close(run.ends[0]);
    close(run.ends[1]);
    if (status != 0 || !(run.slept && run.read)) {
        printf("spin: starved: slept=%d read=%d after %ld yields\n", run.slept,
               run.read, run.yields);
        return 1;
    }
    printf("spin: the sleeper and the reader ran while a task yielded\n");
    return 0;
}

/* Ask calls_check its two questions (chapter 11) */
static int usage(void)
{
    fputs("usage: calls_check watch ROUNDS | spin\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    long rounds;
    if (argc == 3 && strcmp(argv[1], "watch") == 0
        && parse_number(argv[2], 1, 1000000, &rounds) == 0)
        return check_watch(rounds);
    if (argc == 2 && strcmp(argv[1], "spin") == 0)
        return check_spin();
    return usage();
}


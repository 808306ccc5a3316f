/* programs/bench_switch.c, tangled from chapter 10 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "coroutine.h"
#include "measure.h"

#include <stdio.h>

/* Bounce between two coroutines (chapter 10) */
struct bounce {
    struct coroutine *other;
    long rounds;
};

static void *bounce(void *arg)
{
    struct bounce *me = arg;
    for (long i = 0; i < me->rounds; i++)
        coroutine_switch(me->other);
    return NULL;
}

static void *yield_at_once(void *arg)
{
    long rounds = *(long *)arg;
    for (long i = 0; i < rounds; i++)
        coroutine_yield();
    return NULL;
}

/* Time both kinds of switch and print one line (chapter 10) */
static int usage(void)
{
    fputs("usage: bench_switch ROUNDS\n", stderr);
    return 2;
}

static long long time_bounces(long rounds)
{
    struct bounce first = { .rounds = rounds }, second = { .rounds = rounds };
    struct coroutine *a = coroutine_create(bounce, &first);
    struct coroutine *b = coroutine_create(bounce, &second);
    if (a == NULL || b == NULL) {
        coroutine_destroy(a);
        coroutine_destroy(b);
        return -1;
    }
    first.other = b;
    second.other = a;
    long long start = now_ns();
    coroutine_resume(a);
    long long elapsed = now_ns() - start;
    coroutine_destroy(a);
    coroutine_destroy(b);
    return elapsed;
}

static long long time_resumes(long rounds)
{
    struct coroutine *c = coroutine_create(yield_at_once, &rounds);
    if (c == NULL)
        return -1;
    long long start = now_ns();
    while (!coroutine_is_done(c))
        coroutine_resume(c);
    long long elapsed = now_ns() - start;
    coroutine_destroy(c);
    return elapsed;
}

int main(int argc, char **argv)
{
    long rounds;
    if (argc != 2 || parse_number(argv[1], 1, 1000000000, &rounds) != 0)
        return usage();
    long long bounces = time_bounces(rounds), resumes = time_resumes(rounds);
    if (bounces < 0 || resumes < 0) {
        fputs("bench_switch: cannot create a coroutine\n", stderr);
        return 1;
    }
    printf("switch name=%s rounds=%ld ns_per_switch=%.1f",
           coroutine_switch_name(), rounds, (double)bounces / (2.0 * (double)rounds));
    printf(" ns_per_resume_and_yield=%.1f\n", (double)resumes / (double)rounds);
    return 0;
}

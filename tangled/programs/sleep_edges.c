/* programs/sleep_edges.c, tangled from chapter 4 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Ask for the sleeps a careless caller might ask for (chapter 4) */
static const char *outcome(int status)
{
    return status == 0 ? "slept" : strerror(-status);
}

static void *sleep_a_long_time(void *arg)
{
    double seconds = *(const double *)arg;
    printf("a task sleeps for %g seconds\n", seconds);
    int status = async_sleep(seconds);
    printf("the long sleep ended: %s\n", outcome(status));
    return NULL;
}

static const char *sleep_after_work(void)
{
    nanoseconds asked = clock_now() + 50 * 1000000;
    while (clock_now() < asked)
        ;   /* work for 50 ms without letting the loop run */
    asked = clock_now();
    async_sleep(0.1);
    return clock_now() - asked >= seconds_to_nanoseconds(0.1) ? "yes" : "no";
}

/* Run the careless sleeps, ending with a very long one (chapter 4) */
static void *try_sleeps(void *arg)
{
    static const double a_long_time = 1e300;
    (void)arg;
    printf("async_sleep(-1): %s\n", outcome(async_sleep(-1)));
    printf("async_sleep(NAN): %s\n", outcome(async_sleep(NAN)));
    printf("async_sleep(0): %s\n", outcome(async_sleep(0)));
    printf("after 50 ms of work, async_sleep(0.1) lasted at least 0.1 s: %s\n",
           sleep_after_work());
    schedule(sleep_a_long_time, (void *)&a_long_time, NULL);
    async_sleep(0.1);
    struct timer *next = timer_heap_peek(&loop_current()->timers);
    if (next == NULL)
        printf("nobody sleeps any more\n");
    else
        printf("its deadline is %.0f years away\n",
               (double)(next->deadline - clock_now()) / NANOSECONDS_PER_SECOND /
                   (365.25 * 86400));
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(try_sleeps, NULL) == 0 ? 0 : 1;
}

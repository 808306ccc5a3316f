/* programs/timer_check.c, tangled from chapter 4 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"
#include "timer_heap.h"

#include <stdio.h>
#include <stdlib.h>

/* Check that equal deadlines pop in FIFO order (chapter 4) */
enum { TIMERS = 10000 };

static struct timer timers[TIMERS];

static int check_heap_keeps_fifo_order(void)
{
    struct timer_heap heap = { 0 };
    for (int i = 0; i < TIMERS; i++) {
        timers[i].deadline = 1000;
        timer_heap_push(&heap, &timers[i]);
    }
    int in_order = 1;
    for (int i = 0; i < TIMERS; i++)
        if (timer_heap_pop(&heap) != &timers[i])
            in_order = 0;
    timer_heap_free(&heap);
    printf("heap: %d equal deadlines popped %s\n", TIMERS,
           in_order ? "in FIFO order" : "OUT OF ORDER");
    return in_order;
}

/* Check that random deadlines pop in order after removals (chapter 4) */
static int check_heap_sorts(void)
{
    struct timer_heap heap = { 0 };
    srand(7);
    for (int i = 0; i < TIMERS; i++) {
        timers[i].deadline = rand() % 100;
        timer_heap_push(&heap, &timers[i]);
    }
    for (int i = 0; i < TIMERS; i += 3)
        timer_heap_remove(&heap, &timers[i]);
    int sorted = 1;
    struct timer *previous = NULL, *timer;
    while ((timer = timer_heap_pop(&heap)) != NULL) {
        if (previous && (timer->deadline < previous->deadline ||
                         (timer->deadline == previous->deadline &&
                          timer->sequence < previous->sequence)))
            sorted = 0;
        previous = timer;
    }
    timer_heap_free(&heap);
    printf("heap: random deadlines with removals popped %s\n",
           sorted ? "in order" : "OUT OF ORDER");
    return sorted;
}

/* Sleep ten thousand tasks and record how they wake (chapter 4) */
struct sleeper {
    int number;
    nanoseconds asked;
    nanoseconds slept;
};

static struct sleeper sleepers[TIMERS];
static int wake_order[TIMERS];
static int woken;

static void *sleep_and_record(void *arg)
{
    struct sleeper *sleeper = arg;
    nanoseconds start = clock_now();
    async_sleep(0.2);
    sleeper->slept = clock_now() - start;
    wake_order[woken++] = sleeper->number;
    return NULL;
}

static void *start_sleepers(void *arg)
{
    (void)arg;
    for (int i = 0; i < TIMERS; i++) {
        sleepers[i] = (struct sleeper){ .number = i,
                                        .asked = seconds_to_nanoseconds(0.2) };
        if (schedule(sleep_and_record, &sleepers[i], NULL) != 0)
            return NULL;
    }
    return NULL;
}

/* Check that the sleepers woke in order and never early (chapter 4) */
static int check_loop_wakes_in_order(void)
{
    event_loop(start_sleepers, NULL);
    int fifo = woken == TIMERS, early = 0;
    nanoseconds latest = 0;
    for (int i = 0; i < woken; i++) {
        if (wake_order[i] != i)
            fifo = 0;
        if (sleepers[i].slept < sleepers[i].asked)
            early++;
        if (sleepers[i].slept - sleepers[i].asked > latest)
            latest = sleepers[i].slept - sleepers[i].asked;
    }
    printf("loop: %d of %d sleepers woke, %s, %d early\n", woken, TIMERS,
           fifo ? "in FIFO order" : "OUT OF ORDER", early);
    fprintf(stderr, "loop: the latest woke %.1f ms late\n", latest / 1e6);
    return fifo && early == 0;
}

/* Run the three checks (chapter 4) */
int main(void)
{
    int ok = check_heap_keeps_fifo_order();
    ok &= check_heap_sorts();
    ok &= check_loop_wakes_in_order();
    return ok ? 0 : 1;
}

/* loop/timer_heap.h, tangled from chapters 4, 11, 16 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef TIMER_HEAP_H
#define TIMER_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"

/* Declare a timer and the heap that keeps it (chapters 4, 11, 16) */
struct task;

struct timer {
    nanoseconds deadline;
    uint64_t sequence;
    size_t index;
    struct task *task;
};

struct timer_heap {
    struct timer **timers;
    size_t count;
    size_t capacity;
    uint64_t next_sequence;
};
int timer_heap_reserve(struct timer_heap *heap, size_t count);
/* Make timer, which is in the heap, due at deadline, no later than it was. */
void timer_heap_bring_forward(struct timer_heap *heap, struct timer *timer,
                              nanoseconds deadline);

int timer_heap_push(struct timer_heap *heap, struct timer *timer);
struct timer *timer_heap_peek(const struct timer_heap *heap);
struct timer *timer_heap_pop(struct timer_heap *heap);
void timer_heap_remove(struct timer_heap *heap, struct timer *timer);
void timer_heap_free(struct timer_heap *heap);

#endif

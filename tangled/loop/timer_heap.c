/* loop/timer_heap.c, tangled from chapters 4, 11, 16 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "timer_heap.h"

#include <errno.h>
#include <stdlib.h>

/* Order timers by deadline, then by sequence (chapter 4) */
static bool timer_before(const struct timer *a, const struct timer *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->sequence < b->sequence;
}

static void heap_place(struct timer_heap *heap, size_t index, struct timer *timer)
{
    heap->timers[index] = timer;
    timer->index = index;
}

/* Move a timer up or down until the heap is a heap again (chapters 4, 16) */
static void sift_up(struct timer_heap *heap, size_t index)
{
    struct timer *timer = heap->timers[index];
    while (index > 0) {
        size_t parent = (index - 1) / 2;
        if (!timer_before(timer, heap->timers[parent]))
            break;
        heap_place(heap, index, heap->timers[parent]);
        index = parent;
    }
    heap_place(heap, index, timer);
}

static void sift_down(struct timer_heap *heap, size_t index)
{
    struct timer *timer = heap->timers[index];
    for (;;) {
        size_t child = 2 * index + 1;
        if (child >= heap->count)
            break;
        if (child + 1 < heap->count &&
            timer_before(heap->timers[child + 1], heap->timers[child]))
            child++;
        if (!timer_before(heap->timers[child], timer))
            break;
        heap_place(heap, index, heap->timers[child]);
        index = child;
    }
    heap_place(heap, index, timer);
}


void timer_heap_bring_forward(struct timer_heap *heap, struct timer *timer,
                              nanoseconds deadline)
{
    timer->deadline = deadline;
    sift_up(heap, timer->index);
}
/* Push a timer (chapters 4, 11) */
static int heap_grow(struct timer_heap *heap)
{
    size_t capacity = heap->capacity ? 2 * heap->capacity : 64;
    struct timer **timers = realloc(heap->timers, capacity * sizeof *timers);
    if (timers == NULL)
        return -ENOMEM;
    heap->timers = timers;
    heap->capacity = capacity;
    return 0;
}

int timer_heap_push(struct timer_heap *heap, struct timer *timer)
{
    if (heap->count == heap->capacity && heap_grow(heap) != 0)
        return -ENOMEM;
    timer->sequence = heap->next_sequence++;
    heap->count++;
    heap_place(heap, heap->count - 1, timer);
    sift_up(heap, heap->count - 1);
    return 0;
}

int timer_heap_reserve(struct timer_heap *heap, size_t count)
{
    while (heap->capacity < count) {
        if (heap_grow(heap) != 0)
            return -ENOMEM;
    }
    return 0;
}
/* Peek at and pop the earliest timer (chapter 4) */
struct timer *timer_heap_peek(const struct timer_heap *heap)
{
    return heap->count > 0 ? heap->timers[0] : NULL;
}

struct timer *timer_heap_pop(struct timer_heap *heap)
{
    struct timer *top = timer_heap_peek(heap);
    if (top != NULL)
        timer_heap_remove(heap, top);
    return top;
}

/* Remove any timer from the heap (chapter 4) */
void timer_heap_remove(struct timer_heap *heap, struct timer *timer)
{
    size_t index = timer->index;
    struct timer *last = heap->timers[--heap->count];
    if (index < heap->count) {
        heap_place(heap, index, last);
        sift_down(heap, index);
        sift_up(heap, last->index);
    }
}

void timer_heap_free(struct timer_heap *heap)
{
    free(heap->timers);
    heap->timers = NULL;
    heap->count = heap->capacity = 0;
}

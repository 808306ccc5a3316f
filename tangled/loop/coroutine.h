/* loop/coroutine.h, tangled from chapters 2, 10, 11 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef COROUTINE_H
#define COROUTINE_H

#include <stdbool.h>

typedef void *coroutine_fn(void *arg);

struct coroutine;

/* Declare the coroutine functions (chapters 2, 10, 11) */
enum { COROUTINE_STACK_SIZE = 64 * 1024 };

struct coroutine *coroutine_create(coroutine_fn *fn, void *arg);
void coroutine_resume(struct coroutine *coroutine);
void coroutine_yield(void);
bool coroutine_is_done(const struct coroutine *coroutine);
void *coroutine_result(const struct coroutine *coroutine);
void coroutine_destroy(struct coroutine *coroutine);
void coroutine_switch(struct coroutine *next);
const char *coroutine_switch_name(void);
enum { STACK_POOL_KEEP = 1024 };
enum { SLAB_FIRST_STACKS = 64, SLAB_MOST_STACKS = 4096 };

#endif

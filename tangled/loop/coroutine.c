/* loop/coroutine.c, tangled from chapters 2, 10, 11 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "coroutine.h"

/* Include the headers coroutine.c needs (chapter 11) */
#include "switch.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* Name the states a coroutine goes through (chapter 2) */
enum coroutine_state {
    COROUTINE_CREATED,
    COROUTINE_RUNNING,
    COROUTINE_DONE
};

struct coroutine {
    /* Declare the fields of a coroutine (chapter 11) */
    struct switch_context context;
    void *stack;
    size_t stack_size;
    coroutine_fn *fn;
    void *arg;
    void *result;
    enum coroutine_state state;
    bool stack_guarded;
    void *sanitizer_stack;
    unsigned valgrind_stack_id;
};

/* Remember the scheduler's context and the running coroutine (chapter 10) */
static _Thread_local struct switch_context scheduler_context;
static _Thread_local struct coroutine *current_coroutine;
/* Tell AddressSanitizer which stack is in use (chapter 2) */
#if defined(__SANITIZE_ADDRESS__)
static _Thread_local const void *scheduler_stack_bottom;
static _Thread_local size_t scheduler_stack_size;
static _Thread_local void *scheduler_fake_stack;

static void sanitizer_enter_coroutine(struct coroutine *coroutine)
{
    __sanitizer_start_switch_fiber(&scheduler_fake_stack,
                                   coroutine->stack, coroutine->stack_size);
}

static void sanitizer_switch_coroutines(struct coroutine *from, struct coroutine *to)
{
    __sanitizer_start_switch_fiber(&from->sanitizer_stack, to->stack, to->stack_size);
}
static void sanitizer_entered_coroutine(struct coroutine *coroutine)
{
    const void *from_bottom;
    size_t from_size;
    __sanitizer_finish_switch_fiber(coroutine->sanitizer_stack,
                                    &from_bottom, &from_size);
    if (scheduler_stack_size == 0) {
        scheduler_stack_bottom = from_bottom;
        scheduler_stack_size = from_size;
    }
}

static void sanitizer_leave_coroutine(struct coroutine *coroutine)
{
    void **save = coroutine->state == COROUTINE_DONE ? NULL : &coroutine->sanitizer_stack;
    __sanitizer_start_switch_fiber(save, scheduler_stack_bottom,
                                   scheduler_stack_size);
}

static void sanitizer_left_coroutine(void)
{
    __sanitizer_finish_switch_fiber(scheduler_fake_stack, NULL, NULL);
}
#else
static void sanitizer_enter_coroutine(struct coroutine *coroutine) { (void)coroutine; }
static void sanitizer_entered_coroutine(struct coroutine *coroutine) { (void)coroutine; }
static void sanitizer_leave_coroutine(struct coroutine *coroutine) { (void)coroutine; }
static void sanitizer_left_coroutine(void) { }
static void sanitizer_switch_coroutines(struct coroutine *from, struct coroutine *to)
{
    (void)from;
    (void)to;
}
#endif

/* Allocate and release stacks (chapter 11) */
struct free_stack {
    struct free_stack *next;
};

struct stack_pool {
    struct free_stack *guarded;     /* free stacks with a guard page, most recent first */
    struct free_stack *unguarded;   /* free stacks carved from slabs */
    size_t guarded_free;            /* how many stacks the guarded list holds */
    size_t guarded_made;            /* guarded stacks mapped and not yet unmapped */
    size_t guarded_budget;          /* how many guarded stacks the map count allows */
    char *slab_next;                /* the next unused stack of the newest slab */
    size_t slab_left;               /* how many stacks that slab still has */
    size_t slab_stacks;             /* how many stacks the next slab holds */
};

static _Thread_local struct stack_pool pool;
static void *free_stack_take(struct free_stack **list)
{
    struct free_stack *stack = *list;
    if (stack != NULL)
        *list = stack->next;
    return stack;
}

static void free_stack_give(struct free_stack **list, void *memory)
{
    struct free_stack *stack = memory;
    stack->next = *list;
    *list = stack;
}
static void stack_mark_reused(void *stack, size_t size)
{
#if defined(__SANITIZE_ADDRESS__)
    __asan_unpoison_memory_region(stack, size);
#endif
    VALGRIND_MAKE_MEM_UNDEFINED(stack, size);
}
static size_t stack_guarded_budget(void)
{
    unsigned long limit = 65530;
    FILE *file = fopen("/proc/sys/vm/max_map_count", "r");
    if (file != NULL) {
        if (fscanf(file, "%lu", &limit) != 1)
            limit = 65530;
        fclose(file);
    }
    return limit / 4;
}
static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

static void *stack_map_guarded(size_t size)
{
    size_t guard = page_size();
    char *base = mmap(NULL, size + guard, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    if (mprotect(base, guard, PROT_NONE) != 0) {
        munmap(base, size + guard);
        return NULL;
    }
    return base + guard;
}

static void stack_unmap_guarded(void *stack, size_t size)
{
    size_t guard = page_size();
    munmap((char *)stack - guard, size + guard);
}
static size_t stack_next_slab_stacks(void)
{
    size_t stacks = pool.slab_stacks > 0 ? pool.slab_stacks : SLAB_FIRST_STACKS;
    pool.slab_stacks = stacks < SLAB_MOST_STACKS ? stacks * 2 : SLAB_MOST_STACKS;
    return stacks;
}

static void *stack_from_slab(size_t size)
{
    if (pool.slab_left == 0) {
        size_t stacks = stack_next_slab_stacks();
        char *slab = stack_map_guarded(size * stacks);
        if (slab == NULL)
            return NULL;
        pool.slab_next = slab;
        pool.slab_left = stacks;
    }
    void *stack = pool.slab_next;
    pool.slab_next += size;
    pool.slab_left--;
    return stack;
}
static const uint64_t stack_canary = 0x5ca1ab1e0ddba11ull;

static void stack_set_canary(void *stack)
{
    memcpy(stack, &stack_canary, sizeof stack_canary);
}

static void stack_check_canary(const void *stack)
{
    uint64_t found;
    memcpy(&found, stack, sizeof found);
    if (found != stack_canary) {
        fputs("coroutine: a task ran past the bottom of its unguarded stack\n", stderr);
        abort();
    }
}

static void *stack_allocate(size_t size, bool *guarded)
{
    void *stack = free_stack_take(&pool.guarded);
    if (stack != NULL) {
        pool.guarded_free--;
        *guarded = true;
        stack_mark_reused(stack, size);
        return stack;
    }
    stack = free_stack_take(&pool.unguarded);
    if (stack != NULL) {
        *guarded = false;
        stack_mark_reused(stack, size);
        stack_set_canary(stack);
        return stack;
    }
    if (pool.guarded_budget == 0)
        pool.guarded_budget = stack_guarded_budget();
    if (pool.guarded_made < pool.guarded_budget) {
        stack = stack_map_guarded(size);
        if (stack != NULL) {
            pool.guarded_made++;
            *guarded = true;
            return stack;
        }
    }
    stack = stack_from_slab(size);
    if (stack != NULL) {
        *guarded = false;
        stack_set_canary(stack);
    }
    return stack;
}
static void stack_release(void *stack, size_t size, bool guarded)
{
    if (!guarded) {
        stack_check_canary(stack);
        free_stack_give(&pool.unguarded, stack);
    } else if (pool.guarded_free < STACK_POOL_KEEP) {
        free_stack_give(&pool.guarded, stack);
        pool.guarded_free++;
    } else {
        stack_unmap_guarded(stack, size);
        pool.guarded_made--;
    }
}
/* Start a coroutine on its own stack (chapter 10) */
static void coroutine_entry(void)
{
    struct coroutine *coroutine = current_coroutine;
    sanitizer_entered_coroutine(coroutine);
    coroutine->result = coroutine->fn(coroutine->arg);
    coroutine->state = COROUTINE_DONE;
    sanitizer_leave_coroutine(coroutine);
    switch_to(&coroutine->context, &scheduler_context);
}
/* Prepare the coroutine's context to start in coroutine_entry (chapter 10) */
static void prepare_context(struct coroutine *coroutine)
{
    switch_prepare(&coroutine->context, coroutine->stack, coroutine->stack_size,
                   coroutine_entry);
    coroutine->valgrind_stack_id = VALGRIND_STACK_REGISTER(
        coroutine->stack, (char *)coroutine->stack + coroutine->stack_size);
}
/* Create a coroutine (chapter 11) */
static size_t coroutine_header_size(void)
{
    return (sizeof(struct coroutine) + 63) & ~(size_t)63;
}

struct coroutine *coroutine_create(coroutine_fn *fn, void *arg)
{
    bool guarded;
    char *stack = stack_allocate(COROUTINE_STACK_SIZE, &guarded);
    if (stack == NULL)
        return NULL;
    size_t below = COROUTINE_STACK_SIZE - coroutine_header_size();
    struct coroutine *coroutine = (struct coroutine *)(stack + below);
    *coroutine = (struct coroutine){ .stack = stack, .stack_size = below,
                                     .stack_guarded = guarded, .fn = fn, .arg = arg,
                                     .state = COROUTINE_CREATED };
    prepare_context(coroutine);
    return coroutine;
}
/* Switch between the scheduler and a coroutine (chapter 11) */
static void coroutine_check_stack(const struct coroutine *coroutine)
{
    if (!coroutine->stack_guarded)
        stack_check_canary(coroutine->stack);
}

void coroutine_resume(struct coroutine *coroutine)
{
    current_coroutine = coroutine;
    coroutine->state = COROUTINE_RUNNING;
    sanitizer_enter_coroutine(coroutine);
    switch_to(&scheduler_context, &coroutine->context);
    sanitizer_left_coroutine();
    current_coroutine = NULL;
}

void coroutine_yield(void)
{
    struct coroutine *coroutine = current_coroutine;
    coroutine_check_stack(coroutine);
    sanitizer_leave_coroutine(coroutine);
    switch_to(&coroutine->context, &scheduler_context);
    sanitizer_entered_coroutine(coroutine);
}

void coroutine_switch(struct coroutine *next)
{
    struct coroutine *coroutine = current_coroutine;
    coroutine_check_stack(coroutine);
    current_coroutine = next;
    next->state = COROUTINE_RUNNING;
    sanitizer_switch_coroutines(coroutine, next);
    switch_to(&coroutine->context, &next->context);
    sanitizer_entered_coroutine(coroutine);
}

const char *coroutine_switch_name(void)
{
    return switch_name();
}
/* Report how a coroutine ended (chapter 2) */
bool coroutine_is_done(const struct coroutine *coroutine)
{
    return coroutine->state == COROUTINE_DONE;
}

void *coroutine_result(const struct coroutine *coroutine)
{
    return coroutine->result;
}
/* Free a coroutine (chapter 11) */
void coroutine_destroy(struct coroutine *coroutine)
{
    if (coroutine == NULL)
        return;
    if (coroutine == current_coroutine) {
        fputs("coroutine_destroy: a coroutine cannot free the stack it runs on\n",
              stderr);
        abort();
    }
    void *stack = coroutine->stack;
    bool guarded = coroutine->stack_guarded;
    VALGRIND_STACK_DEREGISTER(coroutine->valgrind_stack_id);
    stack_release(stack, COROUTINE_STACK_SIZE, guarded);
}

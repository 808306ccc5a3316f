#include "task.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

static ucontext_t scheduler_context;
static struct task *current_task;
static unsigned long next_task_id = 1;

#if defined(__SANITIZE_ADDRESS__)
static const void *scheduler_stack_bottom;
static size_t scheduler_stack_size;
static void *scheduler_fake_stack;

static void sanitizer_enter_task(struct task *task)
{
    __sanitizer_start_switch_fiber(&scheduler_fake_stack,
                                   task->stack, task->stack_size);
}

static void sanitizer_entered_task(struct task *task)
{
    __sanitizer_finish_switch_fiber(task->sanitizer_stack,
                                    &scheduler_stack_bottom,
                                    &scheduler_stack_size);
}

static void sanitizer_leave_task(struct task *task)
{
    void **save = task->state == TASK_DONE ? NULL : &task->sanitizer_stack;
    __sanitizer_start_switch_fiber(save, scheduler_stack_bottom,
                                   scheduler_stack_size);
}

static void sanitizer_left_task(void)
{
    __sanitizer_finish_switch_fiber(scheduler_fake_stack, NULL, NULL);
}
#else
static void sanitizer_enter_task(struct task *task) { (void)task; }
static void sanitizer_entered_task(struct task *task) { (void)task; }
static void sanitizer_leave_task(struct task *task) { (void)task; }
static void sanitizer_left_task(void) { }
#endif

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

static void *stack_allocate(size_t size)
{
    size_t guard = page_size();
    char *base = mmap(NULL, size + guard, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    if (mprotect(base, guard, PROT_NONE) != 0) {
        munmap(base, size + guard);
        return NULL;
    }
    return base + guard;
}

static void stack_release(void *stack, size_t size)
{
    size_t guard = page_size();
    munmap((char *)stack - guard, size + guard);
}

static void task_entry(void)
{
    struct task *task = current_task;
    sanitizer_entered_task(task);
    task->result = task->fn(task->arg);
    task->state = TASK_DONE;
    sanitizer_leave_task(task);
    swapcontext(&task->context, &scheduler_context);
}

struct task *task_create(task_fn *fn, void *arg)
{
    struct task *task = calloc(1, sizeof *task);
    if (task == NULL)
        return NULL;
    task->stack_size = TASK_STACK_SIZE;
    task->stack = stack_allocate(task->stack_size);
    if (task->stack == NULL) {
        free(task);
        return NULL;
    }
    getcontext(&task->context);
    task->context.uc_stack.ss_sp = task->stack;
    task->context.uc_stack.ss_size = task->stack_size;
    task->context.uc_link = NULL;
    makecontext(&task->context, task_entry, 0);
    task->valgrind_stack_id = VALGRIND_STACK_REGISTER(
        task->stack, (char *)task->stack + task->stack_size);
    task->fn = fn;
    task->arg = arg;
    task->state = TASK_CREATED;
    task->id = next_task_id++;
    return task;
}

void task_resume(struct task *task)
{
    current_task = task;
    task->state = TASK_RUNNING;
    sanitizer_enter_task(task);
    swapcontext(&scheduler_context, &task->context);
    sanitizer_left_task();
    current_task = NULL;
}

void task_yield(void)
{
    struct task *task = current_task;
    sanitizer_leave_task(task);
    swapcontext(&task->context, &scheduler_context);
    sanitizer_entered_task(task);
}

struct task *task_current(void)
{
    return current_task;
}

void task_free_stack(struct task *task)
{
    if (task->stack == NULL)
        return;
    if (task == current_task) {
        fputs("task_free_stack: a task cannot free the stack it runs on\n",
              stderr);
        abort();
    }
    VALGRIND_STACK_DEREGISTER(task->valgrind_stack_id);
    stack_release(task->stack, task->stack_size);
    task->stack = NULL;
}

void task_destroy(struct task *task)
{
    if (task == NULL)
        return;
    task_free_stack(task);
    free(task);
}

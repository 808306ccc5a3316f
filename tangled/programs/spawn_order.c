/* programs/spawn_order.c, tangled from chapter 3 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Spawn tasks that spawn tasks, and say who runs when (chapter 3) */
static struct task *task_a;

static void *child_task(void *arg)
{
    const char *name = arg;
    printf("%s runs\n", name);
    return arg;
}

static void *parent_task(void *arg)
{
    static char *const children[] = { "C", "D", "E" };
    const char *name = arg;
    printf("%s starts\n", name);
    for (int i = 0; i < 3; i++) {
        schedule(child_task, children[i], NULL);
        printf("%s scheduled %s\n", name, children[i]);
    }
    printf("%s ends\n", name);
    return "A's result";
}

static void *observer(void *arg)
{
    const char *name = arg;
    printf("%s runs\n", name);
    printf("%s sees A done: %s, its stack freed: %s\n", name,
           task_is_done(task_a) ? "yes" : "no", task_a->coroutine == NULL ? "yes" : "no");
    return arg;
}

static void *main_task(void *arg)
{
    (void)arg;
    printf("main starts\n");
    int status = schedule(parent_task, "A", &task_a);
    if (status != 0) {
        printf("main cannot schedule A: %s\n", strerror(-status));
        return NULL;
    }
    printf("main scheduled A\n");
    schedule(observer, "B", NULL);
    printf("main scheduled B\n");
    struct request nonsense = { .kind = (enum request_kind)42 };
    printf("main awaits a request of unknown kind: %s\n", strerror(-await(&nonsense)));
    printf("main starts a loop inside a task: %s\n", strerror(-event_loop(child_task, "Y")));
    printf("main sees A done: %s\n", task_is_done(task_a) ? "yes" : "no");
    printf("main ends\n");
    return NULL;
}

int main(void)
{
    struct request request = { .kind = REQUEST_SCHEDULE, .fn = child_task, .arg = "X" };
    printf("await outside a task: %s\n", strerror(-await(&request)));
    int status = event_loop(main_task, NULL);
    printf("event_loop returned %d\n", status);
    if (task_a == NULL)
        return 1;
    printf("A is done: %s, its result: %s\n", task_is_done(task_a) ? "yes" : "no",
           (const char *)task_result(task_a));
    task_release(task_a);
    return status == 0 ? 0 : 1;
}

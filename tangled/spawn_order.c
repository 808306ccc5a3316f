#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void *child(void *arg)
{
    const char *name = arg;
    printf("%s runs\n", name);
    return arg;
}

static void *parent(void *arg)
{
    const char *name = arg;
    printf("%s starts\n", name);
    schedule(child, "C");
    printf("%s scheduled C\n", name);
    printf("%s ends\n", name);
    return "A's result";
}

static struct task *task_a;

static void *main_task(void *arg)
{
    (void)arg;
    printf("main starts\n");
    task_a = task_hold(schedule(parent, "A"));
    printf("main scheduled A\n");
    schedule(child, "B");
    printf("main scheduled B\n");
    struct request nonsense = { .kind = (enum request_kind)42 };
    printf("main awaits a request of unknown kind: %s\n", strerror(-await(&nonsense)));
    printf("main ends\n");
    return NULL;
}

int main(void)
{
    struct request request = { .kind = REQUEST_SCHEDULE, .fn = child, .arg = "X" };
    printf("await outside a task: %s\n", strerror(-await(&request)));
    int status = event_loop(main_task, NULL);
    printf("event_loop returned %d\n", status);
    printf("A is done: %s, its result: %s\n", task_is_done(task_a) ? "yes" : "no",
           (const char *)task_result(task_a));
    task_release(task_a);
    return status == 0 ? 0 : 1;
}

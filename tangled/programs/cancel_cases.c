/* programs/cancel_cases.c, tangled from chapter 6 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Cancel finished, waiting, stubborn, unstarted tasks and ourselves (chapter 6) */
static const char *status_name(int status)
{
    return status == 0 ? "ok" : strerror(-status);
}

static void *quick(void *arg)
{
    (void)arg;
    return "quick's result";
}

static void *sleeper(void *arg)
{
    const char *name = arg;
    int status = async_sleep(10);
    printf("%s: sleep returned %s\n", name, status_name(status));
    return NULL;
}

static void *reader(void *arg)
{
    int *fd = arg;
    int status = await_readable(*fd);
    printf("reader: its wait for the pipe returned %s\n", status_name(status));
    return NULL;
}

static void *stubborn(void *arg)
{
    (void)arg;
    int status = async_sleep(10);
    printf("stubborn: first sleep returned %s, carries on\n", status_name(status));
    status = async_sleep(0.01);
    printf("stubborn: second sleep returned %s\n", status_name(status));
    return NULL;
}

static void *busy(void *arg)
{
    (void)arg;
    printf("busy: runs before it ever waits\n");
    int status = async_sleep(0);
    printf("busy: its first wait returned %s\n", status_name(status));
    return NULL;
}

static void *cancel_cases(void *arg)
{
    (void)arg;
    struct task *finished = NULL;
    schedule(quick, NULL, &finished);
    async_sleep(0);
    printf("cancel a finished task: %s, result still \"%s\"\n", status_name(cancel(finished)),
           (const char *)task_result(finished));
    task_release(finished);

    struct task *twice = NULL;
    schedule(sleeper, "twice", &twice);
    async_sleep(0);
    printf("cancel twice: %s, ", status_name(cancel(twice)));
    printf("%s\n", status_name(cancel(twice)));
    async_sleep(0);
    task_release(twice);
    int ends[2];
    if (pipe(ends) != 0)
        return "pipe failed";
    struct task *watcher = NULL;
    schedule(reader, &ends[0], &watcher);
    async_sleep(0);
    printf("cancel a task waiting on a pipe: %s\n", status_name(cancel(watcher)));
    async_sleep(0);
    task_release(watcher);
    close(ends[0]);
    close(ends[1]);
    struct task *catcher = NULL;
    schedule(stubborn, NULL, &catcher);
    async_sleep(0);
    cancel(catcher);
    task_release(catcher);
    async_sleep(0.05);

    struct task *runnable = NULL;
    schedule(busy, NULL, &runnable);
    printf("cancel a task that has not run yet: %s\n", status_name(cancel(runnable)));
    task_release(runnable);
    async_sleep(0.01);
    printf("cancel myself: %s\n", status_name(cancel(task_current())));
    printf("my next sleep returns %s\n", status_name(async_sleep(1)));
    printf("and the one after that %s\n", status_name(async_sleep(0)));
    printf("cancel NULL: %s\n", status_name(cancel(NULL)));
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(cancel_cases, NULL) == 0 ? 0 : 1;
}

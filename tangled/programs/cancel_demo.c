/* programs/cancel_demo.c, tangled from chapter 6 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <errno.h>
#include <stdio.h>

/* Run the seed's cancellation demo (chapter 6) */
static void *long_running_task(void *arg)
{
    (void)arg;
    int count = 0;
    printf("Long-running task started\n");
    for (;;) {
        count++;
        printf("Long-running task iteration %d\n", count);
        if (async_sleep(1) == -ECANCELED) {
            printf("Task was cancelled!\n");
            break;
        }
    }
    printf("Long-running task cleanup\n");
    return NULL;
}

static void *demo_cancellation(void *arg)
{
    (void)arg;
    printf("\n--- Cancellation Demo ---\n");
    printf("Starting a long-running task that will be cancelled\n");

    struct task *task = NULL;
    schedule(long_running_task, NULL, &task);

    async_sleep(3);

    printf("Cancelling the task...\n");
    cancel(task);

    async_sleep(1);
    printf("Cancellation demo finished\n");
    task_release(task);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(demo_cancellation, NULL) == 0 ? 0 : 1;
}

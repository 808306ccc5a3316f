/* programs/bench_tasks.c, tangled from chapters 9, 11 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"
#include "measure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hold sleeping tasks until there are enough or the loop refuses (chapter 9) */
struct hold_run {
    long wanted;
    long started;
    long sleeping;
    int refusal;                    /* 0, or what schedule() said when it refused */
    struct task **tasks;
    long long resident_before, mapped_before;
    long long resident_after, mapped_after;
};

static void *sleep_an_hour(void *arg)
{
    (void)arg;
    async_sleep(3600);
    return NULL;
}

static void *holder(void *arg)
{
    struct hold_run *run = arg;
    memory_bytes(&run->resident_before, &run->mapped_before);
    while (run->started < run->wanted) {
        int status = schedule(sleep_an_hour, NULL, &run->tasks[run->started]);
        if (status != 0) {
            run->refusal = status;
            break;
        }
        run->started++;
    }
    async_sleep(0);                 /* every task runs once and falls asleep */
    memory_bytes(&run->resident_after, &run->mapped_after);
    for (long i = 0; i < run->started; i++) {
        if (!task_is_done(run->tasks[i]))
            run->sleeping++;
        cancel(run->tasks[i]);
        task_release(run->tasks[i]);
    }
    return NULL;
}

/* Report the memory a sleeping task costs (chapter 11) */
static const char *refusal_name(int status, bool capped)
{
    static char name[32];
    if (status == 0)
        return capped ? "memory" : "asked";
    if (status == -ENOMEM)
        return "ENOMEM";
    snprintf(name, sizeof name, "errno%d", -status);
    return name;
}

static long tasks_memory_allows(void)
{
    long long available_kib = -1;
    char line[128];
    FILE *file = fopen("/proc/meminfo", "r");
    if (file == NULL)
        return 100000;
    while (fgets(line, sizeof line, file) != NULL) {
        if (sscanf(line, "MemAvailable: %lld kB", &available_kib) == 1)
            break;
    }
    fclose(file);
    if (available_kib < 0)
        return 100000;
    return (long)(available_kib / 16);
}

static int usage(void)
{
    fputs("usage: bench_tasks COUNT|max\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct hold_run run = { 0 };
    bool capped = false;
    if (argc != 2)
        return usage();
    if (strcmp(argv[1], "max") == 0) {
        long allowed = tasks_memory_allows();
        run.wanted = allowed < 4000000 ? allowed : 4000000;
        capped = allowed < 4000000;
    } else if (parse_number(argv[1], 1, 4000000, &run.wanted) != 0) {
        return usage();
    }
    run.tasks = calloc((size_t)run.wanted, sizeof *run.tasks);
    if (run.tasks == NULL || event_loop(holder, &run) != 0 || run.sleeping == 0) {
        fprintf(stderr, "bench_tasks: no task could be held asleep\n");
        return 1;
    }
    long long resident = run.resident_after - run.resident_before;
    long long mapped = run.mapped_after - run.mapped_before;
    printf("tasks count=%ld resident_bytes_per_task=%lld mapped_bytes_per_task=%lld "
           "stop=%s\n", run.sleeping, resident / run.sleeping, mapped / run.sleeping,
           refusal_name(run.refusal, capped));
    free(run.tasks);
    return 0;
}

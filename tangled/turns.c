#include "task.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct walker {
    int number;
    int steps;
    int quiet;
};

static void *walk(void *arg)
{
    struct walker *walker = arg;
    for (int step = 1; step <= walker->steps; step++) {
        if (!walker->quiet)
            printf("task %d: step %d\n", walker->number, step);
        task_yield();
    }
    return NULL;
}

static int run_round(struct task **tasks, struct walker *walkers, int ntasks, int steps)
{
    for (int i = 0; i < ntasks; i++) {
        walkers[i] = (struct walker){ i + 1, steps, ntasks > 20 };
        tasks[i] = task_create(walk, &walkers[i]);
        if (tasks[i] == NULL) {
            fprintf(stderr, "turns: cannot create task %d: %s\n", i + 1, strerror(errno));
            return -1;
        }
    }
    int alive = ntasks;
    while (alive > 0) {
        for (int i = 0; i < ntasks; i++) {
            if (tasks[i] == NULL)
                continue;
            task_resume(tasks[i]);
            if (tasks[i]->state == TASK_DONE) {
                task_destroy(tasks[i]);
                tasks[i] = NULL;
                alive--;
            }
        }
    }
    return ntasks;
}

int main(int argc, char **argv)
{
    int ntasks = argc > 1 ? atoi(argv[1]) : 3;
    int steps = argc > 2 ? atoi(argv[2]) : 2;
    int rounds = argc > 3 ? atoi(argv[3]) : 1;
    if (ntasks <= 0 || steps < 0 || rounds <= 0) {
        fprintf(stderr, "usage: turns [TASKS [STEPS [ROUNDS]]]\n");
        return 2;
    }
    struct task **tasks = calloc((size_t)ntasks, sizeof *tasks);
    struct walker *walkers = calloc((size_t)ntasks, sizeof *walkers);
    long finished = 0;
    for (int round = 0; round < rounds && tasks && walkers; round++) {
        int done = run_round(tasks, walkers, ntasks, steps);
        if (done < 0)
            break;
        finished += done;
    }
    printf("%ld tasks created and finished\n", finished);
    free(tasks);
    free(walkers);
    return finished == (long)ntasks * rounds ? 0 : 1;
}

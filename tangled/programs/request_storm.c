/* programs/request_storm.c, tangled from chapter 14 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Set the storm's sizes (chapter 14) */
enum {
    PIPE_COUNT = 8,             /* the pipes the tasks read and write */
    MOST_STEPS = 8,             /* a task takes 0 to MOST_STEPS random steps */
    MOST_PAUSE_US = 3000,       /* the longest sleep a step takes */
    DEFAULT_TASKS = 300,
    MOST_TASKS = 100000,
    GIVE_UP_TICKS = 10000,      /* main's 1 ms sleeps before it gives up: 10 s */
    RECENT = 16,                /* the tasks spawned last, which a cancel favours */
    MOST_FAILURES_SHOWN = 20
};

static const double TICK_SECONDS = 0.001;
/* Choose at random, from the seed (chapter 14) */
static uint64_t random_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);      /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static unsigned random_below(uint64_t *state, unsigned bound)
{
    return (unsigned)(random_next(state) % bound);
}

/* A pause for a step: a yield one time in four, else 0 to 3 ms. */
static double random_pause(uint64_t *state)
{
    if (random_below(state, 4) == 0)
        return 0;
    return random_below(state, MOST_PAUSE_US + 1) / 1e6;
}
/* Keep what the storm knows of its pipes and tasks (chapter 14) */
enum waiting {
    WAITS_FOR_NOTHING,
    WAITS_TO_READ,              /* in a read step, for a byte */
    WAITS_TO_WRITE              /* in a write step, for room */
};

struct storm_pipe {
    int read_end;               /* both ends non-blocking; -1 once closed */
    int write_end;
    unsigned long written;      /* bytes written into it; the next is this mod 256 */
    unsigned long taken;        /* bytes read out of it, by readers or by the drain */
};

struct storm_task {
    struct storm *storm;        /* the storm it belongs to */
    int index;                  /* its place in storm->tasks */
    int parent;                 /* the task that spawns it, or -1 for main */
    int first_child;            /* the first task it has yet to spawn, or -1 */
    int next_sibling;           /* the next task its parent is to spawn, or -1 */
    int subtree;                /* it and every task below it in the plan */
    uint64_t random;            /* its own PRNG: its choices follow from the seed */
    struct task *handle;        /* held from its spawn until the checks; NULL before */
    bool started;               /* its function has begun */
    bool finished;              /* its function is about to return: no more waits */
    bool cancel_outstanding;    /* cancelled, and not yet told so by a wait */
    enum waiting waiting;       /* what it waits for in a read or write step */
};

struct storm {
    unsigned long seed;         /* what every random choice follows from */
    int task_count;             /* TASKS: how many tasks the plan has */
    struct storm_task *tasks;   /* the plan, task_count records */
    int *spawn_order;           /* the indexes of the tasks spawned, in order */
    int main_first_child;       /* the first task main has yet to spawn, or -1 */
    uint64_t random;            /* main's PRNG: the plan and main's pauses */
    struct storm_pipe pipes[PIPE_COUNT];
    int spawned;                /* tasks scheduled */
    int started;                /* tasks that have begun */
    int finished;               /* tasks that have ended */
    int abandoned;              /* planned tasks never spawned: a schedule failed */
    int blocked;                /* tasks inside a read or write step's wait */
    long cancels;               /* cancels the tasks' steps made */
    long stragglers_cancelled;  /* readers main cancelled after the storm */
    long waits_cancelled;       /* waits that returned -ECANCELED */
    long bytes_written;         /* bytes the tasks wrote into the pipes */
    long bytes_read;            /* bytes the tasks read out of them */
    long bytes_drained;         /* bytes main read out of them at the end */
    int failures;               /* broken invariants, shown or not */
};
/* Plan which task spawns which (chapter 14) */
/* Say that an invariant broke, with the seed that reproduces it. */
static void storm_failed(struct storm *storm, const char *format, ...)
{
    if (storm->failures++ >= MOST_FAILURES_SHOWN)
        return;
    va_list args;
    va_start(args, format);
    printf("seed %lu: FAILED: ", storm->seed);
    vprintf(format, args);
    putchar('\n');
    va_end(args);
}

static int *children_of(struct storm *storm, int parent)
{
    return parent < 0 ? &storm->main_first_child : &storm->tasks[parent].first_child;
}

/* Plan task i: its PRNG, and its parent (main one time in four, else an earlier
   task), which spawns it. */
static void plan_task(struct storm *storm, int i)
{
    struct storm_task *task = &storm->tasks[i];
    int parent = -1;
    if (i > 0 && random_below(&storm->random, 4) != 0)
        parent = (int)random_below(&storm->random, (unsigned)i);
    int *children = children_of(storm, parent);
    *task = (struct storm_task){ .storm = storm, .index = i, .parent = parent,
                                 .first_child = -1, .next_sibling = *children,
                                 .subtree = 1, .random = random_next(&storm->random) };
    *children = i;
}

static void plan_storm(struct storm *storm)
{
    storm->main_first_child = -1;
    for (int i = 0; i < storm->task_count; i++)
        plan_task(storm, i);
    for (int i = storm->task_count - 1; i > 0; i--)     /* a parent comes before */
        if (storm->tasks[i].parent >= 0)
            storm->tasks[storm->tasks[i].parent].subtree += storm->tasks[i].subtree;
}
/* Spawn, yield and sleep as steps (chapter 14) */
static void *run_task(void *arg);

/* Name a task in a failure: "task 17", or "main" for NULL. */
static const char *task_name(const struct storm_task *task, char *name, size_t size)
{
    if (task == NULL)
        return "main";
    snprintf(name, size, "task %d", task->index);
    return name;
}

/* Check what a wait returned (task NULL: main's, which nobody cancels). */
static int note_wait(struct storm *storm, struct storm_task *task, int status)
{
    bool cancelled = task != NULL && task->cancel_outstanding;
    char name[32];
    const char *who = task_name(task, name, sizeof name);
    if (status == -ECANCELED && !cancelled)
        storm_failed(storm, "%s: a wait returned -ECANCELED; nobody cancelled it", who);
    else if (status == 0 && cancelled)
        storm_failed(storm, "%s: cancelled, but its wait returned 0", who);
    else if (status != 0 && status != -ECANCELED)
        storm_failed(storm, "%s: a wait returned %d (%s)", who, status,
                     strerror(-status));
    if (status == -ECANCELED) {
        storm->waits_cancelled++;
        if (task != NULL)
            task->cancel_outstanding = false;
    }
    return status;
}

/* Spawn the next task of a list; a spawner told it was cancelled tries again. */
static void spawn_next_child(struct storm *storm, int *children,
                             struct storm_task *spawner)
{
    struct storm_task *child = &storm->tasks[*children];
    *children = child->next_sibling;
    int status = note_wait(storm, spawner, schedule(run_task, child, &child->handle));
    if (status == -ECANCELED)
        status = note_wait(storm, spawner, schedule(run_task, child, &child->handle));
    if (status != 0) {
        storm->abandoned += child->subtree;
        return;
    }
    storm->spawn_order[storm->spawned++] = child->index;
}

static void spawn_or_yield(struct storm_task *task)
{
    if (task->first_child >= 0)
        spawn_next_child(task->storm, &task->first_child, task);
    else
        note_wait(task->storm, task, async_sleep(0));
}

static void take_a_nap(struct storm_task *task)
{
    note_wait(task->storm, task, async_sleep(random_pause(&task->random)));
}
/* Read and write pipes as steps (chapter 14) */
/* Wait on a pipe end, where main can see it (blocked) if the storm stalls. */
static int wait_on(struct storm_task *task, int fd, enum waiting waiting)
{
    task->waiting = waiting;
    task->storm->blocked++;
    int status = waiting == WAITS_TO_READ ? await_readable(fd) : await_writable(fd);
    task->storm->blocked--;
    task->waiting = WAITS_FOR_NOTHING;
    return note_wait(task->storm, task, status);
}

/* Count a byte taken out of a pipe, which must be the next one written into it. */
static void take_byte(struct storm *storm, struct storm_pipe *pipe, unsigned char byte,
                      long *count)
{
    if (byte != (unsigned char)pipe->taken)
        storm_failed(storm, "pipe %d: byte %lu came out as %u, not %u",
                     (int)(pipe - storm->pipes), pipe->taken, byte,
                     (unsigned char)pipe->taken);
    pipe->taken++;
    (*count)++;
}

/* Wait for a byte and read it: a reader that finds it gone (another reader took
   it) waits again; a cancelled reader gives up. */
static void read_one_byte(struct storm_task *task)
{
    struct storm *storm = task->storm;
    struct storm_pipe *pipe = &storm->pipes[random_below(&task->random, PIPE_COUNT)];
    unsigned char byte;
    while (wait_on(task, pipe->read_end, WAITS_TO_READ) == 0) {
        ssize_t got = read(pipe->read_end, &byte, 1);
        if (got == 1) {
            take_byte(storm, pipe, byte, &storm->bytes_read);
            return;
        }
        if (got == 0 || errno != EAGAIN) {
            storm_failed(storm, "task %d: read returned %zd (%s)", task->index, got,
                         got == 0 ? "end of file" : strerror(errno));
            return;
        }
    }
}

/* Write a byte once there is room: a cancelled writer still owes its byte, and
   waits again, so that the bytes written follow from the seed alone. */
static void write_one_byte(struct storm_task *task)
{
    struct storm *storm = task->storm;
    struct storm_pipe *pipe = &storm->pipes[random_below(&task->random, PIPE_COUNT)];
    for (;;) {
        int status = wait_on(task, pipe->write_end, WAITS_TO_WRITE);
        if (status != 0 && status != -ECANCELED)
            return;
        unsigned char byte = (unsigned char)pipe->written;
        if (status == 0 && write(pipe->write_end, &byte, 1) == 1) {
            pipe->written++;
            storm->bytes_written++;
            return;
        }
        if (status == 0 && errno != EAGAIN) {
            storm_failed(storm, "task %d: write: %s", task->index, strerror(errno));
            return;
        }
    }
}
/* Cancel some task as a step (chapter 14) */
/* Cancel target for canceller (NULL: main), and check what cancel says. */
static int cancel_once(struct storm *storm, struct storm_task *canceller,
                       struct storm_task *target)
{
    if (task_is_done(target->handle) != target->finished)
        storm_failed(storm, "task %d: finished is %d, task_is_done says %d",
                     target->index, target->finished, task_is_done(target->handle));
    int status = note_wait(storm, canceller, cancel(target->handle));
    if (status == 0 && !target->finished)
        target->cancel_outstanding = true;
    return status;
}

/* A task spawned so far: three times in four one of the last RECENT spawned,
   likely still running; else any, likely finished.  Perhaps the caller. */
static struct storm_task *pick_spawned_task(struct storm_task *task)
{
    struct storm *storm = task->storm;
    unsigned choices = (unsigned)storm->spawned;
    if (random_below(&task->random, 4) != 0 && choices > RECENT)
        choices = RECENT;
    unsigned back = random_below(&task->random, choices);
    return &storm->tasks[storm->spawn_order[storm->spawned - 1 - (int)back]];
}

/* Cancel a task spawned so far: waiting, not yet started, finished, or itself. */
static void cancel_some_task(struct storm_task *task)
{
    struct storm *storm = task->storm;
    struct storm_task *target = pick_spawned_task(task);
    int status = cancel_once(storm, task, target);
    if (status == -ECANCELED)                   /* its own cancel, now spent */
        status = cancel_once(storm, task, target);
    if (status == 0)
        storm->cancels++;
}
/* Run a task's random steps (chapter 14) */
enum step { STEP_SPAWN, STEP_SLEEP, STEP_READ, STEP_WRITE, STEP_CANCEL, STEP_FINISH };

static enum step random_step(uint64_t *state)
{
    static const enum step weighted[] = {
        STEP_SPAWN, STEP_SPAWN, STEP_SPAWN, STEP_SLEEP, STEP_SLEEP, STEP_SLEEP,
        STEP_READ, STEP_READ, STEP_READ, STEP_READ, STEP_WRITE, STEP_WRITE,
        STEP_WRITE, STEP_CANCEL, STEP_CANCEL, STEP_FINISH
    };
    return weighted[random_below(state, sizeof weighted / sizeof weighted[0])];
}

/* Take one step; false if the step is to finish early. */
static bool take_step(struct storm_task *task, enum step step)
{
    switch (step) {
    case STEP_SPAWN:
        spawn_or_yield(task);
        break;
    case STEP_SLEEP:
        take_a_nap(task);
        break;
    case STEP_READ:
        read_one_byte(task);
        break;
    case STEP_WRITE:
        write_one_byte(task);
        break;
    case STEP_CANCEL:
        cancel_some_task(task);
        break;
    case STEP_FINISH:
        return false;
    }
    return true;
}

static void note_start(struct storm_task *task)
{
    struct storm *storm = task->storm;
    if (task->started)
        storm_failed(storm, "task %d: started twice", task->index);
    if (task_current() != task->handle)
        storm_failed(storm, "task %d: task_current() is not its handle", task->index);
    task->started = true;
    storm->started++;
}

static void *run_task(void *arg)
{
    struct storm_task *task = arg;
    note_start(task);
    unsigned steps = random_below(&task->random, MOST_STEPS + 1);
    for (unsigned i = 0; i < steps; i++)
        if (!take_step(task, random_step(&task->random)))
            break;
    while (task->first_child >= 0)      /* even a task that finishes early */
        spawn_next_child(task->storm, &task->first_child, task);
    task->finished = true;
    task->storm->finished++;
    return task;
}
/* Start the storm and see it out (chapter 14) */
/* Spawn main's share of the tasks, pausing after one in four. */
static void start_storm(struct storm *storm)
{
    while (storm->main_first_child >= 0) {
        spawn_next_child(storm, &storm->main_first_child, NULL);
        if (random_below(&storm->random, 4) == 0)
            note_wait(storm, NULL, async_sleep(random_pause(&storm->random)));
    }
}

static bool storm_is_over(const struct storm *storm)
{
    return storm->finished + storm->abandoned == storm->task_count;
}

/* Quiet: every task spawned and not finished waits in a read or write step. */
static bool storm_is_quiet(const struct storm *storm)
{
    return storm->spawned - storm->finished == storm->blocked;
}

/* Read every byte left in a pipe; what a reader woken for it finds gone. */
static void drain_pipe(struct storm *storm, struct storm_pipe *pipe)
{
    unsigned char bytes[256];
    ssize_t got;
    while ((got = read(pipe->read_end, bytes, sizeof bytes)) > 0)
        for (ssize_t i = 0; i < got; i++)
            take_byte(storm, pipe, bytes[i], &storm->bytes_drained);
    if (got == 0 || errno != EAGAIN)
        storm_failed(storm, "main: draining pipe %d: %s", (int)(pipe - storm->pipes),
                     got == 0 ? "end of file" : strerror(errno));
}

/* Unblock a quiet storm: empty the pipes (room for the writers), and cancel
   the readers, who would wait for bytes that nobody is left to write. */
static void wake_stragglers(struct storm *storm)
{
    for (int i = 0; i < PIPE_COUNT; i++)
        drain_pipe(storm, &storm->pipes[i]);
    for (int i = 0; i < storm->spawned; i++) {
        struct storm_task *task = &storm->tasks[storm->spawn_order[i]];
        if (task->waiting == WAITS_TO_READ && cancel_once(storm, NULL, task) == 0)
            storm->stragglers_cancelled++;
    }
}

/* The loop cannot be trusted to end: say so, and leave at once. */
static void give_up(struct storm *storm)
{
    storm_failed(storm, "gave up after %d s: %d of %d tasks have not finished, "
                 "%d of them in a read or write", (int)(GIVE_UP_TICKS * TICK_SECONDS),
                 storm->spawned - storm->finished, storm->spawned, storm->blocked);
    fflush(stdout);
    _exit(1);
}

static void close_pipes(struct storm *storm)
{
    for (int i = 0; i < PIPE_COUNT; i++) {
        struct storm_pipe *pipe = &storm->pipes[i];
        if (async_close(pipe->read_end) != 0 || async_close(pipe->write_end) != 0)
            storm_failed(storm, "main: async_close of pipe %d failed", i);
        pipe->read_end = pipe->write_end = -1;
    }
}

static void finish_storm(struct storm *storm)
{
    for (int ticks = 0; !storm_is_over(storm); ticks++) {
        if (ticks == GIVE_UP_TICKS)
            give_up(storm);
        if (storm_is_quiet(storm))
            wake_stragglers(storm);
        note_wait(storm, NULL, async_sleep(TICK_SECONDS));
    }
    for (int i = 0; i < PIPE_COUNT; i++)
        drain_pipe(storm, &storm->pipes[i]);
    close_pipes(storm);
}

static void *storm_main(void *arg)
{
    struct storm *storm = arg;
    start_storm(storm);
    finish_storm(storm);
    return NULL;
}
/* Check every request at the end, and run the storm (chapter 14) */
static void check_task(struct storm *storm, struct storm_task *task)
{
    if (task->handle == NULL)
        return;                 /* never spawned: its schedule failure is reported */
    if (!task->started || !task->finished)
        storm_failed(storm, "task %d: started %d, finished %d", task->index,
                     task->started, task->finished);
    if (!task_is_done(task->handle))
        storm_failed(storm, "task %d: task_is_done is false at the end", task->index);
    if (task_result(task->handle) != task)
        storm_failed(storm, "task %d: task_result is not what it returned",
                     task->index);
    task_release(task->handle);
    task->handle = NULL;
}

static void check_storm(struct storm *storm)
{
    for (int i = 0; i < storm->task_count; i++)
        check_task(storm, &storm->tasks[i]);
    if (storm->spawned + storm->abandoned != storm->task_count)
        storm_failed(storm, "%d tasks spawned and %d abandoned, of %d planned",
                     storm->spawned, storm->abandoned, storm->task_count);
    if (storm->started != storm->spawned || storm->finished != storm->spawned)
        storm_failed(storm, "%d tasks spawned, %d started, %d finished",
                     storm->spawned, storm->started, storm->finished);
    if (storm->bytes_written != storm->bytes_read + storm->bytes_drained)
        storm_failed(storm, "%ld bytes written, %ld read and %ld drained",
                     storm->bytes_written, storm->bytes_read, storm->bytes_drained);
}

static int open_pipes(struct storm *storm)
{
    for (int i = 0; i < PIPE_COUNT; i++)
        storm->pipes[i] = (struct storm_pipe){ .read_end = -1, .write_end = -1 };
    for (int i = 0; i < PIPE_COUNT; i++) {
        int ends[2];
        if (pipe(ends) != 0)
            return -errno;
        storm->pipes[i].read_end = ends[0];
        storm->pipes[i].write_end = ends[1];
        int status = fd_set_nonblocking(ends[0]);
        if (status == 0)
            status = fd_set_nonblocking(ends[1]);
        if (status != 0)
            return status;
    }
    return 0;
}

/* Close what a loop that failed left open, and free the plan. */
static void close_storm(struct storm *storm)
{
    for (int i = 0; i < PIPE_COUNT; i++) {
        if (storm->pipes[i].read_end >= 0)
            close(storm->pipes[i].read_end);
        if (storm->pipes[i].write_end >= 0)
            close(storm->pipes[i].write_end);
    }
    for (int i = 0; i < storm->task_count; i++)
        task_release(storm->tasks[i].handle);
    free(storm->tasks);
    free(storm->spawn_order);
}

static int open_storm(struct storm *storm)
{
    storm->random = storm->seed;
    storm->tasks = calloc((size_t)storm->task_count, sizeof *storm->tasks);
    storm->spawn_order = calloc((size_t)storm->task_count, sizeof *storm->spawn_order);
    if (storm->tasks == NULL || storm->spawn_order == NULL)
        return -ENOMEM;
    plan_storm(storm);
    return open_pipes(storm);
}

static int read_arguments(int argc, char **argv, struct storm *storm)
{
    long seed = (long)(((unsigned long)time(NULL) << 16 ^ (unsigned long)getpid())
                       & LONG_MAX);
    long tasks = DEFAULT_TASKS;
    if (argc > 3 || (argc > 1 && parse_number(argv[1], 0, LONG_MAX, &seed) != 0) ||
        (argc > 2 && parse_number(argv[2], 1, MOST_TASKS, &tasks) != 0))
        return -EINVAL;
    storm->seed = (unsigned long)seed;
    storm->task_count = (int)tasks;
    return 0;
}

/* The last lines: what varies with the interleaving, then what the seed fixes. */
static int report(const struct storm *storm)
{
    if (storm->failures > MOST_FAILURES_SHOWN)
        printf("seed %lu: FAILED: and %d more broken invariants\n", storm->seed,
               storm->failures - MOST_FAILURES_SHOWN);
    if (storm->failures > 0)
        return 1;
    printf("seed %lu: %ld waits cancelled, %ld stragglers cancelled, %ld bytes read by "
           "tasks, %ld drained\n", storm->seed, storm->waits_cancelled,
           storm->stragglers_cancelled, storm->bytes_read, storm->bytes_drained);
    printf("seed %lu: %d tasks finished, %ld cancelled, %ld bytes written and read, "
           "every request accounted for\n", storm->seed, storm->finished,
           storm->cancels, storm->bytes_written);
    return 0;
}

int main(int argc, char **argv)
{
    struct storm storm = { 0 };
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (read_arguments(argc, argv, &storm) != 0) {
        fprintf(stderr, "usage: request_storm [SEED [TASKS]]\n");
        return 2;
    }
    const char *poller = event_loop_poller();
    printf("request_storm: seed %lu, %d tasks, poller %s\n", storm.seed,
           storm.task_count, poller != NULL ? poller : "(none)");
    int status = open_storm(&storm);
    if (status != 0)
        storm_failed(&storm, "setting up: %s", strerror(-status));
    else if ((status = event_loop(storm_main, &storm)) != 0)
        storm_failed(&storm, "event_loop returned %d (%s)", status, strerror(-status));
    else
        check_storm(&storm);
    close_storm(&storm);
    return report(&storm);
}

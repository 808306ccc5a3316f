/* programs/switch_check.c, tangled from chapter 10 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "coroutine.h"
#include "loop.h"

#include <fenv.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Keep values in registers across many yields (chapter 10) */
struct register_check {
    long seed;
    long sum;
};

static void *keep_registers(void *arg)
{
    struct register_check *check = arg;
    long a = check->seed, b = a * 3, c = a * 5, d = a * 7, e = a * 11, f = a * 13;
    double g = (double)a / 2, h = (double)a / 4, i = (double)a / 8, j = (double)a / 16;
    double k = (double)a * 1.5, l = (double)a * 2.5;
    for (int round = 0; round < 100; round++) {
        async_sleep(0);
        a += 1; b += 2; c += 3; d += 4; e += 5; f += 6;
        g += 0.5; h += 0.25; i += 0.125; j += 0.0625; k += 1.5; l += 2.5;
    }
    check->sum = a + b + c + d + e + f + (long)(g + h + i + j + k + l);
    return NULL;
}

static long expected_sum(long seed)
{
    long integers = seed * (1 + 3 + 5 + 7 + 11 + 13) + 100 * (1 + 2 + 3 + 4 + 5 + 6);
    double reals = seed * (0.5 + 0.25 + 0.125 + 0.0625 + 1.5 + 2.5)
                   + 100 * (0.5 + 0.25 + 0.125 + 0.0625 + 1.5 + 2.5);
    return integers + (long)reals;
}

/* Keep each task's rounding mode (chapter 10) */
static volatile double one = 1.0, three = 3.0;

static void *round_upward(void *arg)
{
    int *ok = arg;
    volatile double nearest = one / three;
    fesetround(FE_UPWARD);
    for (int round = 0; round < 3; round++)
        async_sleep(0);
    *ok = fegetround() == FE_UPWARD && one / three > nearest;
    fesetround(FE_TONEAREST);
    return NULL;
}

static void *round_to_nearest(void *arg)
{
    int *ok = arg;
    *ok = 1;
    for (int round = 0; round < 3; round++) {
        async_sleep(0);
        if (fegetround() != FE_TONEAREST)
            *ok = 0;
    }
    return NULL;
}

/* Check that a new stack is aligned (chapter 10) */
static void *check_alignment(void *arg)
{
    int *ok = arg;
    _Alignas(16) volatile char slot[16];
    slot[0] = 1;
    *ok = ((uintptr_t)slot & 15) == 0;
    return NULL;
}

/* Show that the signal mask is the thread's (chapter 10) */
static void *block_and_yield(void *arg)
{
    (void)arg;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    async_sleep(0);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    return NULL;
}

static void *look_at_mask(void *arg)
{
    int *blocked = arg;
    sigset_t set;
    sigprocmask(SIG_BLOCK, NULL, &set);
    *blocked = sigismember(&set, SIGUSR1);
    return NULL;
}

/* Run the checks and report (chapter 10) */
struct checks {
    struct register_check registers[2];
    int upward, nearest, aligned, blocked;
};

static void *run_checks(void *arg)
{
    struct checks *checks = arg;
    for (int i = 0; i < 2; i++)
        schedule(keep_registers, &checks->registers[i], NULL);
    schedule(round_upward, &checks->upward, NULL);
    schedule(round_to_nearest, &checks->nearest, NULL);
    schedule(check_alignment, &checks->aligned, NULL);
    schedule(block_and_yield, NULL, NULL);
    schedule(look_at_mask, &checks->blocked, NULL);
    return NULL;
}

static const char *verdict(int ok)
{
    return ok ? "ok" : "FAILED";
}

int main(void)
{
    struct checks checks = { .registers = { { .seed = 1000 }, { .seed = 2000 } } };
    int status = event_loop(run_checks, &checks);
    int registers = 1;
    for (int i = 0; i < 2; i++)
        registers &= checks.registers[i].sum == expected_sum(checks.registers[i].seed);
    printf("switch: %s\n", coroutine_switch_name());
    printf("registers: %s\n", verdict(registers));
    printf("rounding: %s\n", verdict(checks.upward && checks.nearest));
    printf("alignment: %s\n", verdict(checks.aligned));
    printf("signal mask: %s\n", checks.blocked ? "shared by the tasks" : "per task");
    return status == 0 && registers && checks.upward && checks.nearest && checks.aligned
           ? 0 : 1;
}

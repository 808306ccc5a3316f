/* loop/clock.c, tangled from chapter 4 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "clock.h"

#include <time.h>

/* Read the monotonic clock (chapter 4) */
nanoseconds clock_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (nanoseconds)now.tv_sec * NANOSECONDS_PER_SECOND + now.tv_nsec;
}

/* Turn seconds into nanoseconds, rounding up (chapter 4) */
nanoseconds seconds_to_nanoseconds(double seconds)
{
    double exact = seconds * NANOSECONDS_PER_SECOND;
    if (exact >= (double)CLOCK_FOREVER)
        return CLOCK_FOREVER;
    nanoseconds whole = (nanoseconds)exact;
    return whole < exact ? whole + 1 : whole;
}

#include "clock.h"

#include <time.h>

nanoseconds clock_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (nanoseconds)now.tv_sec * NANOSECONDS_PER_SECOND + now.tv_nsec;
}

nanoseconds seconds_to_nanoseconds(double seconds)
{
    double exact = seconds * NANOSECONDS_PER_SECOND;
    if (exact >= (double)CLOCK_FOREVER)
        return CLOCK_FOREVER;
    nanoseconds whole = (nanoseconds)exact;
    return whole < exact ? whole + 1 : whole;
}

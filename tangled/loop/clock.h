/* loop/clock.h, tangled from chapter 4 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

typedef int64_t nanoseconds;

enum { NANOSECONDS_PER_SECOND = 1000000000 };

#define CLOCK_FOREVER (INT64_MAX / 4)

nanoseconds clock_now(void);
nanoseconds seconds_to_nanoseconds(double seconds);

#endif

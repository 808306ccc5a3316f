/* programs/args.c, tangled from chapter 7 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"

#include <errno.h>
#include <stdlib.h>

/* Read a whole number in a range, or refuse (chapter 7) */
int parse_number(const char *text, long min, long max, long *value)
{
    char *end;
    errno = 0;
    long number = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || number < min || number > max)
        return -EINVAL;
    *value = number;
    return 0;
}

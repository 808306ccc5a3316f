#include "args.h"

#include <errno.h>
#include <stdlib.h>

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

#ifndef ARGS_H
#define ARGS_H

int parse_number(const char *text, long min, long max, long *value);

#endif

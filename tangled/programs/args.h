/* programs/args.h, tangled from chapter 7 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef ARGS_H
#define ARGS_H

int parse_number(const char *text, long min, long max, long *value);

#endif

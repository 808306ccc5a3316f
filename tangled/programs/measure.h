/* programs/measure.h, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef MEASURE_H
#define MEASURE_H

#include <stddef.h>
#include <sys/types.h>

/* Declare the measuring tools (chapter 9) */
/* Nanoseconds on CLOCK_MONOTONIC, and of CPU used by this process. */
long long now_ns(void);
long long cpu_ns(void);
/* CPU (user + system) another process has used, from /proc/PID/stat: ns, or -errno. */
long long process_cpu_ns(pid_t pid);
/* This process's resident and mapped memory, in bytes: 0, or -errno. */
int memory_bytes(long long *resident, long long *mapped);
/* Sort times in place; the p-th percentile (0 < p <= 1) of a sorted list. */
void sort_times(long long *times, size_t count);
long long percentile(const long long *sorted, size_t count, double p);

#endif

/* programs/measure.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "measure.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Read the two clocks (chapter 9) */
static long long timespec_ns(const struct timespec *time)
{
    return (long long)time->tv_sec * 1000000000LL + time->tv_nsec;
}

long long now_ns(void)
{
    struct timespec time;
    clock_gettime(CLOCK_MONOTONIC, &time);
    return timespec_ns(&time);
}

long long cpu_ns(void)
{
    struct timespec time;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time);
    return timespec_ns(&time);
}

/* Read another process's CPU time from /proc (chapter 9) */
long long process_cpu_ns(pid_t pid)
{
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *file = fopen(path, "r");
    if (file == NULL)
        return -errno;
    size_t length = fread(text, 1, sizeof text - 1, file);
    fclose(file);
    text[length] = '\0';
    char *after_name = strrchr(text, ')');
    unsigned long long user, system;
    if (after_name == NULL
        || sscanf(after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                  &user, &system) != 2)
        return -EINVAL;
    long ticks = sysconf(_SC_CLK_TCK);
    return (long long)(user + system) * (1000000000LL / ticks);
}

/* Read this process's memory from /proc (chapter 9) */
int memory_bytes(long long *resident, long long *mapped)
{
    FILE *file = fopen("/proc/self/statm", "r");
    if (file == NULL)
        return -errno;
    long long size_pages, resident_pages;
    int found = fscanf(file, "%lld %lld", &size_pages, &resident_pages);
    fclose(file);
    if (found != 2)
        return -EINVAL;
    long page = sysconf(_SC_PAGESIZE);
    *mapped = size_pages * page;
    *resident = resident_pages * page;
    return 0;
}

/* Sort times and take percentiles (chapter 9) */
static int compare_times(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

void sort_times(long long *times, size_t count)
{
    qsort(times, count, sizeof *times, compare_times);
}

long long percentile(const long long *sorted, size_t count, double p)
{
    if (count == 0)
        return 0;
    size_t rank = (size_t)(p * (double)count + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > count)
        rank = count;
    return sorted[rank - 1];
}

/* programs/poller_edges.c, tangled from chapter 12 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Report a case of poller_edges (chapter 12) */
static void report(const char *what, int status)
{
    printf("%s: %s\n", what, status == 0 ? "ok" : strerror(-status));
}

static int wait_for_a_byte(int ends[2])
{
    char byte;
    if (write(ends[1], "x", 1) != 1)
        return -EIO;
    int status = await_readable(ends[0]);
    if (status == 0 && read(ends[0], &byte, 1) != 1)
        status = -EIO;
    return status;
}
/* Wait on a number that was closed and opened again (chapter 12) */
static void reuse_a_number(void)
{
    int first[2], second[2];
    if (pipe(first) != 0 || wait_for_a_byte(first) != 0)
        return;
    close(first[0]);
    close(first[1]);
    if (pipe(second) != 0)
        return;
    printf("a new pipe has the old numbers: %s\n",
           second[0] == first[0] ? "yes" : "no");
    report("waiting on it", wait_for_a_byte(second));
    close(second[0]);
    close(second[1]);
}
/* Close a watched duplicate while its file stays open (chapter 12) */
static double cpu_seconds(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + (double)usage.ru_stime.tv_sec
        + ((double)usage.ru_utime.tv_usec + (double)usage.ru_stime.tv_usec) / 1e6;
}

static void close_a_duplicate(void)
{
    int ends[2];
    if (pipe(ends) != 0 || write(ends[1], "x", 1) != 1)
        return;
    int copy = dup(ends[0]);
    report("waiting on a duplicate", await_readable(copy));
    close(copy);
    double before = cpu_seconds();
    async_sleep(0.2);
    double used = cpu_seconds() - before;
    printf("after closing it, the loop slept without spinning: %s\n",
           used < 0.05 ? "yes" : "no");
    close(ends[0]);
    close(ends[1]);
}
/* Wait on a regular file (chapter 12) */
static void wait_on_a_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    report("a regular file is readable", await_readable(fd));
    report("and writable", await_writable(fd));
    close(fd);
}
/* Run the edges one after another (chapter 12) */
static void *run_edges(void *arg)
{
    printf("poller: %s\n", event_loop_poller());
    reuse_a_number();
    close_a_duplicate();
    wait_on_a_file(arg);
    return NULL;
}

int main(int argc, char **argv)
{
    (void)argc;
    setvbuf(stdout, NULL, _IOLBF, 0);
    int status = event_loop(run_edges, argv[0]);
    return status == 0 ? 0 : 1;
}

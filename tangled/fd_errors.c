#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static int pipe_ends[2];

static void report(const char *what, int status)
{
    printf("%s: %s\n", what, status == 0 ? "ok" : strerror(-status));
}

static int open_high_fd(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max <= FD_SETSIZE)
        return -1;
    if (limit.rlim_cur <= FD_SETSIZE) {
        limit.rlim_cur = FD_SETSIZE + 1;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            return -1;
    }
    return dup2(STDIN_FILENO, FD_SETSIZE);
}

static void *waiter(void *arg)
{
    (void)arg;
    report("waiter on a pipe that another task closes", await_readable(pipe_ends[0]));
    return NULL;
}

static void *closer(void *arg)
{
    (void)arg;
    async_sleep(0.05);
    printf("closer: closes the pipe with plain close()\n");
    close(pipe_ends[0]);
    return NULL;
}

static void *ticker(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        async_sleep(0.03);
        printf("ticker: tick %d\n", i);
    }
    return NULL;
}

static void *main_task(void *arg)
{
    (void)arg;
    int high = open_high_fd();
    if (high >= 0) {
        report("Readable on fd FD_SETSIZE", await_readable(high));
        close(high);
    } else {
        printf("Readable on fd FD_SETSIZE: Invalid argument (not opened: RLIMIT_NOFILE too low)\n");
    }
    report("Readable on fd -1", await_readable(-1));
    report("Readable on a closed fd", await_readable(pipe_ends[1] + 100));
    schedule(waiter, NULL);
    schedule(closer, NULL);
    schedule(ticker, NULL);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (pipe(pipe_ends) != 0)
        return 1;
    int status = event_loop(main_task, NULL);
    close(pipe_ends[1]);
    return status == 0 ? 0 : 1;
}

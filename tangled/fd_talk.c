#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int ends[2];

static ssize_t read_some(int fd, char *buffer, size_t size)
{
    for (;;) {
        ssize_t n = read(fd, buffer, size);
        if (n >= 0)
            return n;
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return -errno;
        int status = await_readable(fd);
        if (status != 0)
            return status;
    }
}

static void *speaker(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        char line[32];
        int length = snprintf(line, sizeof line, "ping %d\n", i);
        printf("speaker: sends ping %d\n", i);
        if (write(ends[0], line, (size_t)length) != length)
            return "write failed";
        async_sleep(0.05);
    }
    close(ends[0]);
    printf("speaker: hangs up\n");
    return NULL;
}

static void *listener(void *arg)
{
    (void)arg;
    char buffer[64];
    ssize_t n;
    while ((n = read_some(ends[1], buffer, sizeof buffer)) > 0)
        printf("listener: got %.*s", (int)n, buffer);
    printf("listener: %s\n", n == 0 ? "end of stream" : strerror((int)-n));
    close(ends[1]);
    return NULL;
}

static void *talk(void *arg)
{
    (void)arg;
    schedule(listener, NULL);
    schedule(speaker, NULL);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0) {
        perror("socketpair");
        return 1;
    }
    fd_set_nonblocking(ends[0]);
    fd_set_nonblocking(ends[1]);
    return event_loop(talk, NULL) == 0 ? 0 : 1;
}

/* programs/fd_talk.c, tangled from chapter 5 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Read what is there, waiting only when nothing is (chapter 5) */
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

/* Speak three lines, then hang up (chapter 5) */
static int ends[2];

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

/* Listen until the end of the stream (chapter 5) */
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
    schedule(listener, NULL, NULL);
    schedule(speaker, NULL, NULL);
    return NULL;
}

/* Ring once for two watchers (chapter 5) */
static int bell[2];

static void *bell_watcher(void *arg)
{
    const char *name = arg;
    int status = await_readable(bell[1]);
    if (status != 0) {
        printf("%s: %s\n", name, strerror(-status));
        return NULL;
    }
    char byte;
    if (read(bell[1], &byte, 1) == 1)
        printf("%s: woken, reads '%c'\n", name, byte);
    else
        printf("%s: woken, but read says: %s\n", name, strerror(errno));
    return NULL;
}

static void *ringer(void *arg)
{
    (void)arg;
    printf("ringer: writes one byte\n");
    if (write(bell[0], "!", 1) != 1)
        return "write failed";
    return NULL;
}

static void *ring(void *arg)
{
    (void)arg;
    schedule(bell_watcher, "first watcher", NULL);
    schedule(bell_watcher, "second watcher", NULL);
    async_sleep(0.02);
    schedule(ringer, NULL, NULL);
    return NULL;
}

/* Run the talk, then the bell (chapter 5) */
int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM, 0, bell) != 0) {
        perror("socketpair");
        return 1;
    }
    for (int i = 0; i < 2; i++) {
        fd_set_nonblocking(ends[i]);
        fd_set_nonblocking(bell[i]);
    }
    int status = event_loop(talk, NULL);
    if (status == 0)
        status = event_loop(ring, NULL);
    close(bell[0]);
    close(bell[1]);
    return status == 0 ? 0 : 1;
}

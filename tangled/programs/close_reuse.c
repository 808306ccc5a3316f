/* programs/close_reuse.c, tangled from chapter 7 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Close a socket that a task waits on, and reuse its number (chapter 7) */
static int waiter_pair[2];

static void *waiter(void *arg)
{
    char byte;
    (void)arg;
    int status = await_readable(waiter_pair[0]);
    if (status != 0)
        printf("waiter: woke with %s\n", strerror(-status));
    else if (recv(waiter_pair[0], &byte, 1, 0) == 1)
        printf("waiter: woke and read '%c' from a socket that is not its own\n", byte);
    return NULL;
}

static void *closer(void *arg)
{
    int fresh[2], old = waiter_pair[0];
    (void)arg;
    async_close(waiter_pair[0]);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fresh) != 0)
        return NULL;
    printf("closer: closed the waiter's socket; a new one got the same number: %s\n",
           fresh[0] == old ? "yes" : "no");
    send(fresh[1], "!", 1, 0);
    async_sleep(0.05);
    close(fresh[0]);
    close(fresh[1]);
    close(waiter_pair[1]);
    return NULL;
}

static void *start(void *arg)
{
    schedule(waiter, arg, NULL);
    schedule(closer, arg, NULL);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, waiter_pair) != 0)
        return 1;
    return event_loop(start, NULL) == 0 ? 0 : 1;
}

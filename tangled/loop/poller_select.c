/* loop/poller_select.c, tangled from chapters 4, 5, 11, 12 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "poller_backend.h"

/* Include the headers the select poller uses (chapters 4, 5) */
#include <errno.h>
#include <stdlib.h>
#include <sys/select.h>
#include <fcntl.h>
#include <stdbool.h>

struct select_poller {
    fd_set read;                /* the descriptors watched for each event */
    fd_set write;
    fd_set error;
    int max_fd;                 /* the highest watched descriptor, or -1 */
    /* Declare what else the select poller keeps (chapters 5, 11) */
    struct poller_event ready[FD_SETSIZE];
    fd_set seen_open;               /* descriptors found open once, since poller_create */
};

/* Create and free a select poller (chapter 12) */
static int select_poller_create(void **state)
{
    struct select_poller *poller = calloc(1, sizeof *poller);
    if (poller == NULL)
        return -ENOMEM;
    FD_ZERO(&poller->read);
    FD_ZERO(&poller->write);
    FD_ZERO(&poller->error);
    FD_ZERO(&poller->seen_open);
    poller->max_fd = -1;
    *state = poller;
    return 0;
}

static void select_poller_free(void *state)
{
    free(state);
}
/* Watch and unwatch descriptors with select (chapter 12) */
static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

static bool select_watches(const struct select_poller *poller, int fd)
{
    return FD_ISSET(fd, &poller->read) || FD_ISSET(fd, &poller->write)
        || FD_ISSET(fd, &poller->error);
}

static void select_set(fd_set *set, int fd, bool on)
{
    if (on)
        FD_SET(fd, set);
    else
        FD_CLR(fd, set);
}

static bool select_knows_open(struct select_poller *poller, int fd)
{
    if (FD_ISSET(fd, &poller->seen_open))
        return true;
    if (!fd_is_open(fd))
        return false;
    FD_SET(fd, &poller->seen_open);
    return true;
}

static int select_poller_watch(void *state, int fd, unsigned events)
{
    struct select_poller *poller = state;
    if (fd >= FD_SETSIZE)
        return -EINVAL;
    if (fd < 0 || !select_knows_open(poller, fd))
        return -EBADF;
    select_set(&poller->read, fd, events & POLLER_READABLE);
    select_set(&poller->write, fd, events & POLLER_WRITABLE);
    select_set(&poller->error, fd, events & POLLER_ERRORED);
    if (fd > poller->max_fd)
        poller->max_fd = fd;
    return 0;
}

static void select_poller_unwatch(void *state, int fd)
{
    struct select_poller *poller = state;
    if (fd < 0 || fd >= FD_SETSIZE)
        return;
    select_set(&poller->read, fd, false);
    select_set(&poller->write, fd, false);
    select_set(&poller->error, fd, false);
    while (poller->max_fd >= 0 && !select_watches(poller, poller->max_fd))
        poller->max_fd--;
}

static void select_poller_adopt(void *state, int fd)
{
    (void)state;
    (void)fd;
}

static void select_poller_forget(void *state, int fd)
{
    struct select_poller *poller = state;
    select_poller_unwatch(poller, fd);
    if (fd >= 0 && fd < FD_SETSIZE)
        FD_CLR(fd, &poller->seen_open);
}
/* Turn a timeout into select's timeval (chapter 4) */
static struct timeval *select_timeout(nanoseconds timeout, struct timeval *limit)
{
    if (timeout < 0)
        return NULL;
    nanoseconds microseconds = (timeout + 999) / 1000;
    limit->tv_sec = (time_t)(microseconds / 1000000);
    limit->tv_usec = (suseconds_t)(microseconds % 1000000);
    return limit;
}

/* Read select's answer for one descriptor (chapter 12) */
static unsigned select_found(int fd, fd_set *read, fd_set *write, fd_set *error)
{
    unsigned events = 0;
    if (FD_ISSET(fd, read))
        events |= POLLER_READABLE;
    if (FD_ISSET(fd, write))
        events |= POLLER_WRITABLE;
    if (FD_ISSET(fd, error))
        events |= POLLER_ERRORED;
    return events;
}

static int select_report_closed(struct select_poller *poller,
                                const struct poller_event **ready)
{
    int found = 0;
    for (int fd = 0; fd <= poller->max_fd; fd++)
        if (select_watches(poller, fd) && !fd_is_open(fd))
            poller->ready[found++] = (struct poller_event){ fd, POLLER_CLOSED };
    *ready = poller->ready;
    return found;
}
/* Wait in select (chapter 12) */
static int select_failed(int error)
{
    return error == EINTR ? 0 : -error;
}

static int select_poller_wait(void *state, nanoseconds timeout,
                              const struct poller_event **ready)
{
    struct select_poller *poller = state;
    struct timeval limit;
    fd_set read = poller->read, write = poller->write, error = poller->error;
    *ready = NULL;
    int count = select(poller->max_fd + 1, &read, &write, &error,
                       select_timeout(timeout, &limit));
    if (count < 0) {
        if (errno == EBADF)
            return select_report_closed(poller, ready);
        return select_failed(errno);
    }
    int found = 0;
    for (int fd = 0; fd <= poller->max_fd && found < count; fd++) {
        unsigned events = select_found(fd, &read, &write, &error);
        if (events != 0)
            poller->ready[found++] = (struct poller_event){ fd, events };
    }
    *ready = poller->ready;
    return found;
}

const struct poller_backend select_backend = {
    .name = "select",
    .fd_limit = FD_SETSIZE,
    .create = select_poller_create,
    .free = select_poller_free,
    .watch = select_poller_watch,
    .unwatch = select_poller_unwatch,
    .adopt = select_poller_adopt,
    .forget = select_poller_forget,
    .wait = select_poller_wait,
};

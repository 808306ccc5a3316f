/* loop/poller_poll.c, tangled from chapters 12, 13 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "poller_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>

struct poll_poller {
    struct pollfd *fds;         /* the watched descriptors, in no particular order */
    struct poller_event *ready; /* as many entries as fds */
    int count;                  /* entries of fds in use */
    int capacity;               /* entries allocated in fds and ready */
    int *slot;                  /* indexed by fd: its entry in fds, or -1 */
    int slots;                  /* entries allocated in slot */
};

/* Create and free a poll poller (chapter 12) */
static int poll_poller_create(void **state)
{
    struct poll_poller *poller = calloc(1, sizeof *poller);
    if (poller == NULL)
        return -ENOMEM;
    *state = poller;
    return 0;
}

static void poll_poller_free(void *state)
{
    struct poll_poller *poller = state;
    free(poller->fds);
    free(poller->ready);
    free(poller->slot);
    free(poller);
}
/* Make room for a descriptor in the poll poller (chapter 12) */
static int poll_grow_slots(struct poll_poller *poller, int fd)
{
    if (fd < poller->slots)
        return 0;
    int size = poller->slots > 0 ? poller->slots : 64;
    while (size <= fd)
        size *= 2;
    int *slot = realloc(poller->slot, (size_t)size * sizeof *slot);
    if (slot == NULL)
        return -ENOMEM;
    for (int i = poller->slots; i < size; i++)
        slot[i] = -1;
    poller->slot = slot;
    poller->slots = size;
    return 0;
}

static int poll_grow_entries(struct poll_poller *poller)
{
    if (poller->count < poller->capacity)
        return 0;
    int size = poller->capacity > 0 ? poller->capacity * 2 : 64;
    struct pollfd *fds = realloc(poller->fds, (size_t)size * sizeof *fds);
    if (fds == NULL)
        return -ENOMEM;
    poller->fds = fds;
    struct poller_event *ready = realloc(poller->ready, (size_t)size * sizeof *ready);
    if (ready == NULL)
        return -ENOMEM;
    poller->ready = ready;
    poller->capacity = size;
    return 0;
}
/* Translate between the loop's events and poll's (chapter 13) */
short poll_interest(unsigned events)
{
    short interest = 0;
    if (events & POLLER_READABLE)
        interest |= POLLIN;
    if (events & POLLER_WRITABLE)
        interest |= POLLOUT;
    if (events & POLLER_ERRORED)
        interest |= POLLPRI;
    return interest;
}

unsigned poll_found(short revents)
{
    unsigned events = 0;
    if (revents & POLLNVAL)
        return POLLER_CLOSED;
    if (revents & (POLLIN | POLLHUP | POLLERR))
        events |= POLLER_READABLE;
    if (revents & (POLLOUT | POLLHUP | POLLERR))
        events |= POLLER_WRITABLE;
    if (revents & POLLPRI)
        events |= POLLER_ERRORED;
    return events;
}
/* Watch, unwatch and forget descriptors with poll (chapter 12) */
static bool fd_is_open(int fd)
{
    return fcntl(fd, F_GETFD) != -1 || errno != EBADF;
}

static int poll_entry_fd(const struct pollfd *entry)
{
    return entry->fd >= 0 ? entry->fd : ~entry->fd;     /* a kept entry is negated */
}

static int poll_poller_watch(void *state, int fd, unsigned events)
{
    struct poll_poller *poller = state;
    if (fd < 0)
        return -EBADF;
    struct pollfd entry = { .fd = fd, .events = poll_interest(events) };
    if (fd < poller->slots && poller->slot[fd] >= 0) {
        poller->fds[poller->slot[fd]] = entry;
        return 0;
    }
    if (!fd_is_open(fd))
        return -EBADF;
    int status = poll_grow_slots(poller, fd);
    if (status == 0)
        status = poll_grow_entries(poller);
    if (status != 0)
        return status;
    poller->slot[fd] = poller->count;
    poller->fds[poller->count++] = entry;
    return 0;
}

static void poll_poller_unwatch(void *state, int fd)
{
    struct poll_poller *poller = state;
    if (fd < 0 || fd >= poller->slots || poller->slot[fd] < 0)
        return;
    poller->fds[poller->slot[fd]].fd = ~fd;     /* poll skips negative descriptors */
}

static void poll_poller_forget(void *state, int fd)
{
    struct poll_poller *poller = state;
    if (fd < 0 || fd >= poller->slots || poller->slot[fd] < 0)
        return;
    int place = poller->slot[fd];
    struct pollfd last = poller->fds[--poller->count];
    poller->fds[place] = last;
    poller->slot[poll_entry_fd(&last)] = place;
    poller->slot[fd] = -1;
}

static void poll_poller_adopt(void *state, int fd)
{
    (void)state;
    (void)fd;
}
/* Wait in poll (chapter 12) */
static int poll_poller_wait(void *state, nanoseconds timeout,
                            const struct poller_event **ready)
{
    struct poll_poller *poller = state;
    *ready = poller->ready;
    int count = poll(poller->fds, (nfds_t)poller->count, poller_milliseconds(timeout));
    if (count < 0)
        return errno == EINTR ? 0 : -errno;
    int found = 0;
    for (int i = 0, seen = 0; i < poller->count && seen < count; i++) {
        struct pollfd *entry = &poller->fds[i];
        if (entry->fd < 0 || entry->revents == 0)
            continue;
        seen++;
        unsigned events = poll_found(entry->revents);
        if (events != POLLER_CLOSED)
            events &= poll_found(entry->events);    /* only what its waiters asked */
        if (events != 0)
            poller->ready[found++] = (struct poller_event){ entry->fd, events };
        else
            entry->fd = ~entry->fd;         /* switched off until it is watched again */
    }
    return found;
}

const struct poller_backend poll_backend = {
    .name = "poll",
    .create = poll_poller_create,
    .free = poll_poller_free,
    .watch = poll_poller_watch,
    .unwatch = poll_poller_unwatch,
    .adopt = poll_poller_adopt,
    .forget = poll_poller_forget,
    .wait = poll_poller_wait,
};

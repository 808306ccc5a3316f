/* loop/poller_epoll.c, tangled from chapter 12 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#if defined(__linux__)
#include "poller_backend.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

enum { EPOLL_BATCH = 256 };     /* events taken from the kernel per wait */

struct epoll_entry {
    unsigned wanted;            /* what the loop asks for now (POLLER_... bits) */
    unsigned registered;        /* what the kernel was last told (0: nothing) */
    bool trusted;               /* adopted: closed only after it is forgotten */
    bool always_ready;          /* epoll refused it with EPERM: a regular file */
};

struct epoll_poller {
    int epoll_fd;
    struct epoll_entry *entry;  /* indexed by fd */
    int entries;                /* entries allocated in entry */
    int always_ready;           /* entries with always_ready and something wanted */
    struct epoll_event events[EPOLL_BATCH];
    struct poller_event ready[EPOLL_BATCH];
};

/* Create and free an epoll poller (chapter 12) */
static int epoll_poller_create(void **state)
{
    struct epoll_poller *poller = calloc(1, sizeof *poller);
    if (poller == NULL)
        return -ENOMEM;
    poller->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (poller->epoll_fd < 0) {
        int error = errno;
        free(poller);
        return -error;
    }
    *state = poller;
    return 0;
}

static void epoll_poller_free(void *state)
{
    struct epoll_poller *poller = state;
    close(poller->epoll_fd);
    free(poller->entry);
    free(poller);
}

static int epoll_make_room(struct epoll_poller *poller, int fd)
{
    if (fd < poller->entries)
        return 0;
    int size = poller->entries > 0 ? poller->entries : 64;
    while (size <= fd)
        size *= 2;
    struct epoll_entry *entry = realloc(poller->entry, (size_t)size * sizeof *entry);
    if (entry == NULL)
        return -ENOMEM;
    for (int i = poller->entries; i < size; i++)
        entry[i] = (struct epoll_entry){ 0 };
    poller->entry = entry;
    poller->entries = size;
    return 0;
}
/* Tell the kernel what the loop wants of a descriptor (chapter 12) */
static uint32_t epoll_interest(unsigned events)
{
    uint32_t interest = 0;
    if (events & POLLER_READABLE)
        interest |= EPOLLIN | EPOLLRDHUP;
    if (events & POLLER_WRITABLE)
        interest |= EPOLLOUT;
    if (events & POLLER_ERRORED)
        interest |= EPOLLPRI;
    return interest;
}

static int epoll_tell(struct epoll_poller *poller, int fd, unsigned events)
{
    struct epoll_event change = { .events = epoll_interest(events), .data.fd = fd };
    int operation = poller->entry[fd].registered != 0 ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(poller->epoll_fd, operation, fd, &change) == 0)
        return 0;
    if (operation != EPOLL_CTL_MOD || errno != ENOENT)
        return -errno;
    return epoll_ctl(poller->epoll_fd, EPOLL_CTL_ADD, fd, &change) == 0 ? 0 : -errno;
}
/* Watch and unwatch descriptors with epoll (chapter 12) */
static bool epoll_must_tell(const struct epoll_entry *entry, unsigned events)
{
    if (entry->registered != events)
        return true;            /* new to the kernel, or asking for other events */
    return entry->wanted == 0 && !entry->trusted;       /* kept: maybe stale */
}

static int epoll_poller_watch(void *state, int fd, unsigned events)
{
    struct epoll_poller *poller = state;
    if (fd < 0)
        return -EBADF;
    int status = epoll_make_room(poller, fd);
    if (status != 0)
        return status;
    struct epoll_entry *entry = &poller->entry[fd];
    if (!entry->always_ready && epoll_must_tell(entry, events)) {
        status = epoll_tell(poller, fd, events);
        if (status == -EPERM)
            entry->always_ready = true;
        else if (status != 0)
            return status;
        else
            entry->registered = events;
    }
    if (entry->always_ready && entry->wanted == 0)
        poller->always_ready++;
    entry->wanted = events;
    return 0;
}

static void epoll_poller_unwatch(void *state, int fd)
{
    struct epoll_poller *poller = state;
    if (fd < 0 || fd >= poller->entries)
        return;
    struct epoll_entry *entry = &poller->entry[fd];
    if (entry->always_ready && entry->wanted != 0)
        poller->always_ready--;
    entry->wanted = 0;          /* the kernel is told only if it reports fd again */
}
/* Adopt and forget descriptors with epoll (chapter 12) */
static void epoll_poller_forget(void *state, int fd)
{
    struct epoll_poller *poller = state;
    if (fd < 0 || fd >= poller->entries)
        return;
    struct epoll_entry *entry = &poller->entry[fd];
    if (entry->registered != 0)
        epoll_ctl(poller->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
    if (entry->always_ready && entry->wanted != 0)
        poller->always_ready--;
    *entry = (struct epoll_entry){ 0 };
}

static void epoll_poller_adopt(void *state, int fd)
{
    struct epoll_poller *poller = state;
    if (fd < 0 || epoll_make_room(poller, fd) != 0)
        return;                 /* not trusted: only a little slower */
    epoll_poller_forget(poller, fd);
    poller->entry[fd].trusted = true;
}
/* Start over with a new epoll instance (chapter 12) */
static void epoll_start_over(struct epoll_poller *poller)
{
    int fresh = epoll_create1(EPOLL_CLOEXEC);
    if (fresh < 0)
        return;                 /* keep the old one: the stray event only repeats */
    close(poller->epoll_fd);
    poller->epoll_fd = fresh;
    for (int fd = 0; fd < poller->entries; fd++) {
        struct epoll_entry *entry = &poller->entry[fd];
        entry->registered = 0;
        if (entry->wanted != 0 && !entry->always_ready
            && epoll_tell(poller, fd, entry->wanted) == 0)
            entry->registered = entry->wanted;
    }
}

static bool epoll_drop_unwanted(struct epoll_poller *poller, int fd)
{
    poller->entry[fd].registered = 0;
    if (epoll_ctl(poller->epoll_fd, EPOLL_CTL_DEL, fd, NULL) == 0)
        return false;
    epoll_start_over(poller);   /* the number no longer names the registered file */
    return true;
}
/* Wait in epoll (chapter 12) */
static unsigned epoll_found(uint32_t happened)
{
    unsigned events = 0;
    if (happened & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        events |= POLLER_READABLE;
    if (happened & (EPOLLOUT | EPOLLHUP | EPOLLERR))
        events |= POLLER_WRITABLE;
    if (happened & EPOLLPRI)
        events |= POLLER_ERRORED;
    return events;
}

static int epoll_report_always_ready(struct epoll_poller *poller, int found)
{
    for (int fd = 0; fd < poller->entries && found < EPOLL_BATCH; fd++) {
        struct epoll_entry *entry = &poller->entry[fd];
        if (entry->always_ready && entry->wanted != 0)
            poller->ready[found++] = (struct poller_event){ fd, entry->wanted };
    }
    return found;
}

static int epoll_poller_wait(void *state, nanoseconds timeout,
                             const struct poller_event **ready)
{
    struct epoll_poller *poller = state;
    *ready = poller->ready;
    if (poller->always_ready > 0)
        timeout = 0;
    int count = epoll_wait(poller->epoll_fd, poller->events, EPOLL_BATCH,
                           poller_milliseconds(timeout));
    if (count < 0)
        return errno == EINTR ? 0 : -errno;
    int found = 0;
    bool started_over = false;
    for (int i = 0; i < count && !started_over; i++) {
        int fd = poller->events[i].data.fd;
        struct epoll_entry *entry = &poller->entry[fd];
        unsigned events = epoll_found(poller->events[i].events) & entry->wanted;
        if (events != 0)
            poller->ready[found++] = (struct poller_event){ fd, events };
        else if (entry->registered != 0)
            started_over = epoll_drop_unwanted(poller, fd);
    }
    if (poller->always_ready > 0)
        found = epoll_report_always_ready(poller, found);
    return found;
}

const struct poller_backend epoll_backend = {
    .name = "epoll",
    .create = epoll_poller_create,
    .free = epoll_poller_free,
    .watch = epoll_poller_watch,
    .unwatch = epoll_poller_unwatch,
    .adopt = epoll_poller_adopt,
    .forget = epoll_poller_forget,
    .wait = epoll_poller_wait,
};
#endif

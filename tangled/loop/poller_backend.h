/* loop/poller_backend.h, tangled from chapters 12, 13 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef POLLER_BACKEND_H
#define POLLER_BACKEND_H

#include "poller.h"

/* Describe a poller as a table of functions (chapter 13) */
struct poller_backend {
    const char *name;
    int fd_limit;               /* it cannot watch fd >= fd_limit; 0: no limit */
    int (*create)(void **state);
    void (*free)(void *state);
    int (*watch)(void *state, int fd, unsigned events);
    void (*unwatch)(void *state, int fd);
    void (*adopt)(void *state, int fd);
    void (*forget)(void *state, int fd);
    int (*wait)(void *state, nanoseconds timeout, const struct poller_event **ready);
    /* NULL for a poller that only reports readiness (chapter 13) */
    int (*submit)(void *state, struct poller_operation *operation);
    void (*cancel)(void *state, struct poller_operation *operation);
    struct poller_operation *(*take_completed)(void *state);
};

/* A timeout in milliseconds, for poll and epoll_wait: rounded up, so that a
   wait never ends before a timer is due; -1 (no limit) for a negative one. */
int poller_milliseconds(nanoseconds timeout);
/* poll's event bits for the loop's, and the loop's for what poll found
   (poller_poll.c; io_uring's polls use them too). */
short poll_interest(unsigned events);
unsigned poll_found(short revents);
/* Name the pollers this build has (chapter 13) */
extern const struct poller_backend select_backend;
extern const struct poller_backend poll_backend;
#if defined(__linux__)
extern const struct poller_backend epoll_backend;
#endif
#if defined(HAVE_LIBURING)
extern const struct poller_backend uring_backend;
#endif

#endif

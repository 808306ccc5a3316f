/* loop/poller.h, tangled from chapters 4, 5, 12, 13, 14 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef POLLER_H
#define POLLER_H

#include "clock.h"

struct poller;

/* Name the events a poller reports (chapters 4, 5) */
struct poller_event {
    int fd;
    unsigned events;
};
enum {
    POLLER_READABLE = 1,
    POLLER_WRITABLE = 2,
    POLLER_ERRORED = 4,
    POLLER_CLOSED = 8           /* reported only: the fd was closed while watched */
};

/* Make a poller that watches nothing yet: 0, or -ENOMEM. */
int poller_create(struct poller **poller);
/* Free a poller (NULL is ignored). */
void poller_free(struct poller *poller);
/* Declare how descriptors are watched (chapters 5, 12, 13, 14) */
/* Report events (POLLER_READABLE | ...) for fd from now on, instead of what
   was asked before: 0, or -errno (only if fd was not watched yet). */
int poller_watch(struct poller *poller, int fd, unsigned events);
/* Stop watching fd. */
void poller_unwatch(struct poller *poller, int fd);
/* fd is new, and will be closed only after poller_forget: what the poller
   kept of it need not be checked again when it is watched again. */
void poller_adopt(struct poller *poller, int fd);
/* Forget all the poller knows of fd, which is about to be closed. */
void poller_forget(struct poller *poller, int fd);
/* The poller's kind: "select", "poll" or "epoll". */
const char *poller_name(const struct poller *poller);
/* The kind poller_create would make now: ASYNC_POLLER's, else this build's
   default; NULL if ASYNC_POLLER names none this build has. */
const char *poller_chosen(void);
#include <stdbool.h>
#include <sys/socket.h>

enum poller_operation_kind {
    POLLER_RECV,
    POLLER_SEND,
    POLLER_ACCEPT,
};

/* The kernel owns an operation from poller_submit until a wait reports it
   completed: until then nothing in it, nor the bytes it points to, may change
   or go away. */
struct poller_operation {
    enum poller_operation_kind kind;
    int fd;
    void *buffer;           /* recv, send: the bytes; accept: room for the address */
    size_t size;            /* how many bytes, or how much room */
    socklen_t address_size; /* accept: the address's length, filled in */
    long result;            /* once completed: a count or a descriptor, or -errno */
    void *owner;            /* the loop's: the task that waits for it */
    unsigned epoch;         /* the poller's: its descriptor's closings when submitted */
    struct poller_operation *next;  /* the poller's: the next one completed */
};
/* Whether the poller carries out operations itself (io_uring does). */
bool poller_does_operations(const struct poller *poller);
/* Start operation: 0, or -errno.  When a later wait finds it completed, its
   result is in operation->result and poller_take_completed returns it. */
int poller_submit(struct poller *poller, struct poller_operation *operation);
/* The operations the last wait found completed, oldest first and linked
   through their next fields; NULL if none.  The poller forgets them. */
struct poller_operation *poller_take_completed(struct poller *poller);
/* Ask for a submitted operation to end early.  It is still reported when it
   ends, with -ECANCELED, or with its own result if it completed first. */
void poller_cancel(struct poller *poller, struct poller_operation *operation);
/* Whether the poller can watch fd at all (select: only below FD_SETSIZE). */
bool poller_can_watch(const struct poller *poller, int fd);
/* Sleep until timeout has passed (negative: no limit), a signal arrives, or a
   watched descriptor is ready.  Returns how many descriptors are ready, with
   their events in (*ready)[0..n-1], or -errno. */
int poller_wait(struct poller *poller, nanoseconds timeout,
                const struct poller_event **ready);

#endif

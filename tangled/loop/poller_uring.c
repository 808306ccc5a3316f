/* loop/poller_uring.c, tangled from chapter 13 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#if defined(HAVE_LIBURING)
#include "poller_backend.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <liburing.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>

enum {
    URING_SUBMISSIONS = 256,    /* entries queued before the kernel must take them */
    URING_COMPLETIONS = 4096,   /* answers the ring holds before the kernel queues them */
    URING_BATCH = 256           /* answers taken per wait */
};

struct uring_entry {
    unsigned wanted;            /* what the loop asks for now (POLLER_... bits) */
    unsigned armed;             /* what the poll in the kernel waits for (0: none) */
    uint32_t generation;        /* which of its polls is the live one */
    unsigned closings;          /* how often it was forgotten: the operations' epoch */
    unsigned in_flight;         /* operations submitted and not yet reported */
    bool queued;                /* in to_arm, to be armed by the next wait */
    bool checked;               /* known to be open since it was last forgotten */
};

struct uring_poller {
    struct io_uring ring;
    struct uring_entry *entry;  /* indexed by fd */
    int *to_arm;                /* descriptors whose poll the next wait arms */
    int entries;                /* entries allocated in entry and in to_arm */
    int to_arm_count;
    struct poller_event ready[URING_BATCH];
    struct poller_operation *completed;     /* oldest first, through next */
    struct poller_operation *last_completed;
};

/* Create and free an io_uring poller (chapter 13) */
static int uring_poller_create(void **state)
{
    struct uring_poller *poller = calloc(1, sizeof *poller);
    if (poller == NULL)
        return -ENOMEM;
    struct io_uring_params params = { .flags = IORING_SETUP_CQSIZE,
                                      .cq_entries = URING_COMPLETIONS };
    int status = io_uring_queue_init_params(URING_SUBMISSIONS, &poller->ring, &params);
    if (status == 0 && !(params.features & IORING_FEAT_NODROP)) {
        io_uring_queue_exit(&poller->ring);
        status = -ENOSYS;       /* older than Linux 5.5: it may drop answers */
    }
    if (status != 0) {
        free(poller);
        return status;
    }
    *state = poller;
    return 0;
}

static void uring_poller_free(void *state)
{
    struct uring_poller *poller = state;
    io_uring_queue_exit(&poller->ring);
    free(poller->entry);
    free(poller->to_arm);
    free(poller);
}

static int uring_make_room(struct uring_poller *poller, int fd)
{
    if (fd < poller->entries)
        return 0;
    int size = poller->entries > 0 ? poller->entries : 64;
    while (size <= fd)
        size *= 2;
    struct uring_entry *entry = realloc(poller->entry, (size_t)size * sizeof *entry);
    if (entry == NULL)
        return -ENOMEM;
    poller->entry = entry;
    int *to_arm = realloc(poller->to_arm, (size_t)size * sizeof *to_arm);
    if (to_arm == NULL)
        return -ENOMEM;
    poller->to_arm = to_arm;
    for (int i = poller->entries; i < size; i++)
        entry[i] = (struct uring_entry){ 0 };
    poller->entries = size;
    return 0;
}
/* Take a submission entry, making room if the queue is full (chapter 13) */
static struct io_uring_sqe *uring_next_entry(struct uring_poller *poller)
{
    struct io_uring_sqe *sqe = io_uring_get_sqe(&poller->ring);
    if (sqe == NULL && io_uring_submit(&poller->ring) >= 0)
        sqe = io_uring_get_sqe(&poller->ring);
    return sqe;
}

/* A poll's user data: its descriptor and generation, with the low bit set,
   which no operation's address has.  Removals and cancellations carry 0. */
static uint64_t uring_poll_tag(int fd, uint32_t generation)
{
    return (uint64_t)generation << 32 | (uint64_t)(uint32_t)fd << 1 | 1;
}
/* Watch descriptors with one-shot polls (chapter 13) */
static void uring_disarm(struct uring_poller *poller, int fd)
{
    struct uring_entry *entry = &poller->entry[fd];
    if (entry->armed == 0)
        return;
    struct io_uring_sqe *sqe = uring_next_entry(poller);
    if (sqe != NULL) {
        io_uring_prep_poll_remove(sqe, uring_poll_tag(fd, entry->generation));
        io_uring_sqe_set_data64(sqe, 0);
    }
    entry->armed = 0;
    entry->generation++;        /* whatever the old poll says now is ignored */
}

static void uring_queue_arming(struct uring_poller *poller, int fd)
{
    struct uring_entry *entry = &poller->entry[fd];
    if (!entry->queued) {
        entry->queued = true;
        poller->to_arm[poller->to_arm_count++] = fd;
    }
}

static int uring_poller_watch(void *state, int fd, unsigned events)
{
    struct uring_poller *poller = state;
    if (fd < 0)
        return -EBADF;
    int status = uring_make_room(poller, fd);
    if (status != 0)
        return status;
    struct uring_entry *entry = &poller->entry[fd];
    if (!entry->checked && fcntl(fd, F_GETFD) == -1 && errno == EBADF)
        return -EBADF;          /* refused now, not after a wait */
    entry->checked = true;
    entry->wanted = events;
    if (entry->armed != events) {
        uring_disarm(poller, fd);
        uring_queue_arming(poller, fd);
    }
    return 0;
}

static void uring_poller_unwatch(void *state, int fd)
{
    struct uring_poller *poller = state;
    if (fd < 0 || fd >= poller->entries)
        return;
    poller->entry[fd].wanted = 0;
    uring_disarm(poller, fd);
}

static void uring_poller_adopt(void *state, int fd)
{
    (void)state;
    (void)fd;
}

static unsigned uring_interest(unsigned events)
{
    unsigned interest = (unsigned short)poll_interest(events);
    if (events & POLLER_ERRORED)
        interest |= POLLRDBAND;         /* how TCP's urgent data wakes a poll */
    return interest;
}

static int uring_arm_queued(struct uring_poller *poller)
{
    int status = 0;
    for (int i = 0; i < poller->to_arm_count; i++) {
        struct uring_entry *entry = &poller->entry[poller->to_arm[i]];
        entry->queued = false;
        if (entry->wanted == 0 || entry->armed == entry->wanted)
            continue;
        struct io_uring_sqe *sqe = uring_next_entry(poller);
        if (sqe == NULL) {
            status = -EBUSY;
            continue;
        }
        io_uring_prep_poll_add(sqe, poller->to_arm[i], uring_interest(entry->wanted));
        io_uring_sqe_set_data64(sqe, uring_poll_tag(poller->to_arm[i], entry->generation));
        entry->armed = entry->wanted;
    }
    poller->to_arm_count = 0;
    return status;
}
/* Submit and cancel operations (chapter 13) */
static void uring_prepare(struct io_uring_sqe *sqe, struct poller_operation *operation)
{
    size_t size = operation->size < INT_MAX ? operation->size : INT_MAX;
    switch (operation->kind) {
    case POLLER_RECV:
        io_uring_prep_recv(sqe, operation->fd, operation->buffer, size, 0);
        break;
    case POLLER_SEND:
        io_uring_prep_send(sqe, operation->fd, operation->buffer, size, MSG_NOSIGNAL);
        break;
    case POLLER_ACCEPT:
        operation->address_size = (socklen_t)size;
        io_uring_prep_accept(sqe, operation->fd, operation->buffer,
                             &operation->address_size, 0);
        break;
    }
    io_uring_sqe_set_data(sqe, operation);
}

static int uring_poller_submit(void *state, struct poller_operation *operation)
{
    struct uring_poller *poller = state;
    if (operation->fd < 0)
        return -EBADF;
    int status = uring_make_room(poller, operation->fd);
    if (status != 0)
        return status;
    struct io_uring_sqe *sqe = uring_next_entry(poller);
    if (sqe == NULL)
        return -EBUSY;
    uring_prepare(sqe, operation);
    struct uring_entry *entry = &poller->entry[operation->fd];
    operation->epoch = entry->closings;
    entry->in_flight++;
    return 0;
}

static void uring_poller_cancel(void *state, struct poller_operation *operation)
{
    struct uring_poller *poller = state;
    struct io_uring_sqe *sqe = uring_next_entry(poller);
    if (sqe == NULL)
        return;                 /* it ends when the kernel ends it */
    io_uring_prep_cancel(sqe, operation, 0);
    io_uring_sqe_set_data64(sqe, 0);
}
/* Forget a descriptor and everything in flight on it (chapter 13) */
static void uring_poller_forget(void *state, int fd)
{
    struct uring_poller *poller = state;
    if (fd < 0 || fd >= poller->entries)
        return;
    struct uring_entry *entry = &poller->entry[fd];
    bool busy = entry->armed != 0 || entry->in_flight > 0;
    entry->wanted = entry->armed = 0;
    entry->checked = false;
    entry->generation++;
    entry->closings++;
    if (!busy)
        return;
    struct io_uring_sqe *sqe = uring_next_entry(poller);
    if (sqe == NULL)
        return;
    io_uring_prep_cancel_fd(sqe, fd, IORING_ASYNC_CANCEL_ALL);
    io_uring_sqe_set_data64(sqe, 0);
    io_uring_submit(&poller->ring);     /* now: the kernel finds them by fd */
}
/* Wait in io_uring (chapter 13) */
static int uring_submit_and_wait(struct uring_poller *poller, nanoseconds timeout)
{
    struct io_uring_cqe *cqe;
    if (timeout == 0)
        return io_uring_submit(&poller->ring);
    if (timeout < 0)
        return io_uring_submit_and_wait(&poller->ring, 1);
    struct __kernel_timespec limit = { .tv_sec = timeout / 1000000000,
                                       .tv_nsec = timeout % 1000000000 };
    return io_uring_submit_and_wait_timeout(&poller->ring, &cqe, 1, &limit, NULL);
}

static int uring_poll_answered(struct uring_poller *poller, uint64_t tag, int result,
                               struct poller_event *event)
{
    int fd = (int)((uint32_t)tag >> 1);
    if (fd >= poller->entries)
        return 0;
    struct uring_entry *entry = &poller->entry[fd];
    if (entry->armed == 0 || entry->generation != (uint32_t)(tag >> 32))
        return 0;               /* a poll removed since: old news */
    entry->armed = 0;
    unsigned events = result == -EBADF ? POLLER_CLOSED : poll_found((short)result);
    if (result < 0 && result != -EBADF)
        events = entry->wanted;         /* wake them all: their calls will say why */
    if (events != POLLER_CLOSED)
        events &= entry->wanted;
    if (events == 0)
        return 0;               /* news nobody wants: off until watched again */
    uring_queue_arming(poller, fd);
    *event = (struct poller_event){ fd, events };
    return 1;
}

static void uring_operation_answered(struct uring_poller *poller,
                                     struct poller_operation *operation, int result)
{
    struct uring_entry *entry = &poller->entry[operation->fd];
    entry->in_flight--;
    if (result == -ECANCELED && entry->closings != operation->epoch)
        result = -EBADF;        /* cancelled because its descriptor was closed */
    operation->result = result;
    operation->next = NULL;
    if (poller->last_completed != NULL)
        poller->last_completed->next = operation;
    else
        poller->completed = operation;
    poller->last_completed = operation;
}

static struct poller_operation *uring_poller_take_completed(void *state)
{
    struct uring_poller *poller = state;
    struct poller_operation *completed = poller->completed;
    poller->completed = poller->last_completed = NULL;
    return completed;
}

static int uring_poller_wait(void *state, nanoseconds timeout,
                             const struct poller_event **ready)
{
    struct uring_poller *poller = state;
    *ready = poller->ready;
    int status = uring_arm_queued(poller);
    if (status == 0)
        status = uring_submit_and_wait(poller, timeout);
    if (status < 0 && status != -ETIME && status != -EINTR)
        return status;
    struct io_uring_cqe *cqe;
    int found = 0;
    while (found < URING_BATCH && io_uring_peek_cqe(&poller->ring, &cqe) == 0) {
        uint64_t tag = io_uring_cqe_get_data64(cqe);
        int result = cqe->res;
        io_uring_cqe_seen(&poller->ring, cqe);
        if (tag & 1)
            found += uring_poll_answered(poller, tag, result, &poller->ready[found]);
        else if (tag != 0)
            uring_operation_answered(poller, (struct poller_operation *)(uintptr_t)tag,
                                     result);
    }
    return found;
}

const struct poller_backend uring_backend = {
    .name = "io_uring",
    .create = uring_poller_create,
    .free = uring_poller_free,
    .watch = uring_poller_watch,
    .unwatch = uring_poller_unwatch,
    .adopt = uring_poller_adopt,
    .forget = uring_poller_forget,
    .wait = uring_poller_wait,
    .submit = uring_poller_submit,
    .cancel = uring_poller_cancel,
    .take_completed = uring_poller_take_completed,
};
#endif

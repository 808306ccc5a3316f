/* loop/poller.c, tangled from chapters 12, 13, 14 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "poller_backend.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct poller {
    const struct poller_backend *backend;
    void *state;                /* the backend's own, made by its create */
};

/* Choose the poller this build waits in by default (chapter 13) */
static const struct poller_backend *const backends[] = {
#if defined(__linux__)
    &epoll_backend,
#endif
    &poll_backend,
    &select_backend,
#if defined(HAVE_LIBURING)
    &uring_backend,
#endif
};
enum { BACKEND_COUNT = sizeof backends / sizeof backends[0] };

#if defined(POLLER_DEFAULT_SELECT)
static const char default_poller[] = "select";
#elif defined(POLLER_DEFAULT_POLL) || !defined(__linux__)
static const char default_poller[] = "poll";
#elif defined(POLLER_DEFAULT_URING) && defined(HAVE_LIBURING)
static const char default_poller[] = "io_uring";
#else
static const char default_poller[] = "epoll";
#endif
/* Find a poller by its name (chapter 12) */
static const struct poller_backend *poller_find(const char *name)
{
    for (int i = 0; i < BACKEND_COUNT; i++)
        if (strcmp(backends[i]->name, name) == 0)
            return backends[i];
    return NULL;
}

static const char *poller_asked_for(void)
{
    const char *name = getenv("ASYNC_POLLER");
    return name != NULL && name[0] != '\0' ? name : default_poller;
}

const char *poller_chosen(void)
{
    const struct poller_backend *backend = poller_find(poller_asked_for());
    return backend != NULL ? backend->name : NULL;
}
/* Create and free a poller of the chosen kind (chapter 12) */
static void poller_report_unknown(const char *name)
{
    fprintf(stderr, "ASYNC_POLLER=%s: this build has no such poller; it has", name);
    for (int i = 0; i < BACKEND_COUNT; i++)
        fprintf(stderr, " %s", backends[i]->name);
    fputc('\n', stderr);
}

int poller_create(struct poller **created)
{
    const char *name = poller_asked_for();
    const struct poller_backend *backend = poller_find(name);
    if (backend == NULL) {
        poller_report_unknown(name);
        return -EINVAL;
    }
    struct poller *poller = malloc(sizeof *poller);
    if (poller == NULL)
        return -ENOMEM;
    poller->backend = backend;
    int status = backend->create(&poller->state);
    if (status != 0) {
        free(poller);
        return status;
    }
    *created = poller;
    return 0;
}

void poller_free(struct poller *poller)
{
    if (poller == NULL)
        return;
    poller->backend->free(poller->state);
    free(poller);
}
/* Pass each call on to the chosen poller (chapters 12, 13, 14) */
int poller_watch(struct poller *poller, int fd, unsigned events)
{
    return poller->backend->watch(poller->state, fd, events);
}

void poller_unwatch(struct poller *poller, int fd)
{
    poller->backend->unwatch(poller->state, fd);
}

void poller_adopt(struct poller *poller, int fd)
{
    poller->backend->adopt(poller->state, fd);
}

void poller_forget(struct poller *poller, int fd)
{
    poller->backend->forget(poller->state, fd);
}

int poller_wait(struct poller *poller, nanoseconds timeout,
                const struct poller_event **ready)
{
    return poller->backend->wait(poller->state, timeout, ready);
}

const char *poller_name(const struct poller *poller)
{
    return poller->backend->name;
}

int poller_milliseconds(nanoseconds timeout)
{
    if (timeout < 0)
        return -1;
    nanoseconds milliseconds = (timeout + 999999) / 1000000;
    return milliseconds > 1000000000 ? 1000000000 : (int)milliseconds;
}

bool poller_does_operations(const struct poller *poller)
{
    return poller->backend->submit != NULL;
}

int poller_submit(struct poller *poller, struct poller_operation *operation)
{
    if (poller->backend->submit == NULL)
        return -EOPNOTSUPP;
    return poller->backend->submit(poller->state, operation);
}

void poller_cancel(struct poller *poller, struct poller_operation *operation)
{
    if (poller->backend->cancel != NULL)
        poller->backend->cancel(poller->state, operation);
}

struct poller_operation *poller_take_completed(struct poller *poller)
{
    if (poller->backend->take_completed == NULL)
        return NULL;
    return poller->backend->take_completed(poller->state);
}

bool poller_can_watch(const struct poller *poller, int fd)
{
    int limit = poller->backend->fd_limit;
    return fd >= 0 && (limit == 0 || fd < limit);
}

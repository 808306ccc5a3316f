/* loop/loop.h, tangled from chapters 3, 4, 5, 6, 7, 12, 14, 15, 16 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef LOOP_H
#define LOOP_H

#include <stdbool.h>
/* Include what the public interface needs (chapters 7, 16) */
#include <sys/types.h>
#include <stdint.h>

/* The one error rule: a function that can fail returns 0 (or a count) when it
   succeeds and a negative errno value when it fails.  A function that waits
   must be called from inside a task; anywhere else it returns -EPERM. */

typedef void *task_fn(void *arg);

struct task;            /* a task the loop runs; only the loop sees inside */

/* Declare the functions a program calls (chapters 3, 4, 5, 6, 7, 12, 14, 15, 16) */
/* Run main(arg) as the first task, and return when nothing is left to do:
   0, or -EINVAL (main is NULL), -EPERM (called from a task), -ENOMEM. */
int event_loop(task_fn *main, void *arg);
/* Start fn(arg) as a new task.  If task is not NULL, *task is a handle the
   caller holds: give it back with task_release().  0, -EINVAL, -ENOMEM. */
int schedule(task_fn *fn, void *arg, struct task **task);
/* Keep a task's record after it has finished; returns task.  Ignores NULL. */
struct task *task_hold(struct task *task);
/* Give back a hold; the record goes when nobody holds it.  Ignores NULL. */
void task_release(struct task *task);
/* Whether the task has finished (false for NULL), and what it returned. */
bool task_is_done(const struct task *task);
void *task_result(const struct task *task);
/* The task that is running, or NULL outside a task. */
struct task *task_current(void);
/* Sleep for at least seconds: 0, or -EINVAL (negative or NaN), -ENOMEM. */
int async_sleep(double seconds);
/* Wait until fd is readable, writable, or has an exceptional condition:
   0, or -EBADF (not open), -EINVAL (too large for the poller), -ENOMEM. */
int await_readable(int fd);
int await_writable(int fd);
int await_errored(int fd);
/* Make fd non-blocking: 0, or -errno from fcntl. */
int fd_set_nonblocking(int fd);
/* Ask task to stop: its current or next wait returns -ECANCELED.
   0 (also for a finished task), or -EINVAL (task is NULL).  schedule() and
   cancel() are requests too: a task with a cancel pending that calls either
   gets -ECANCELED from it, and nothing is started or cancelled. */
int cancel(struct task *task);
enum { ENDPOINT_HOST_SIZE = 46 };       /* INET6_ADDRSTRLEN */

struct endpoint {
    char host[ENDPOINT_HOST_SIZE];      /* the address as text */
    int port;
};

/* Connect to host:port (numeric or a name): the connected socket, or -EINVAL
   (host NULL, bad port), -EHOSTUNREACH (no such host), -errno of connect. */
int async_connect(const char *host, int port);
/* Listen on host:port (host NULL: every address; port 0: any free one):
   the listening socket, or -EINVAL, -errno.  Does not wait. */
int async_listen(const char *host, int port, int backlog);
/* Accept a connection: its socket, and its address in *peer if peer is not
   NULL; or -errno.  Never spins when the process is out of descriptors. */
int async_accept(int server_fd, struct endpoint *peer);
/* Receive up to size bytes: how many (0 at end of stream), or -EINVAL
   (buffer NULL, size > SSIZE_MAX), -errno. */
ssize_t async_recv(int fd, void *buffer, size_t size);
/* Send all size bytes: size, or -EINVAL (data NULL, size > SSIZE_MAX), -errno;
   never SIGPIPE. */
ssize_t async_send(int fd, const void *data, size_t size);
/* Wake fd's waiters with -EBADF, then close it: 0, or -EBADF, -EPERM. */
int async_close(int fd);
/* Our own end of a socket into *local: 0, or -EINVAL (local NULL), -errno. */
int socket_local_endpoint(int fd, struct endpoint *local);
/* The poller the loop waits in: "select", "poll" or "epoll" (ASYNC_POLLER if
   set, else this build's default); NULL if ASYNC_POLLER names none it has. */
const char *event_loop_poller(void);
/* Like async_listen, but other loops of this process may listen on the same
   host and port, and the kernel spreads new connections among them
   (SO_REUSEPORT).  The first of them may ask for port 0; the others must then
   ask for the port it got. */
int async_listen_shared(const char *host, int port, int backlog);
/* Every task belongs to the loop that started it, and so to that loop's
   thread: cancel() of another loop's task returns -EPERM, and task_hold,
   task_release, task_is_done and task_result may be called only there. */
/* async_accept returns -EOVERFLOW when the loop's poller cannot watch the new
   connection's descriptor (select: from FD_SETSIZE up).  That connection is
   closed, *peer says whose it was, and the listening socket is fine: accept
   again.  (When the process runs out of descriptors, it still refuses and
   waits without returning, as it always has.) */
/* Wait until task has finished, and store what it returned in *result if
   result is not NULL.  task must be held when task_join is called (by anyone:
   schedule's third argument gives a held handle); the loop holds it too while
   the caller waits.  0 once task has finished, however it ended (at once,
   without giving up the turn, if it already had); -EINVAL (task is NULL),
   -EDEADLK (task is the caller, or waits to join it, directly or through
   others), -EPERM (outside a task, or task is another loop's), -ECANCELED
   (the caller was cancelled; task goes on as before). */
int task_join(struct task *task, void **result);
/* Whether cancel() reached task before it finished (false for NULL): it was
   asked to stop, whatever it did then; its result is still what it returned.
   Like task_is_done, it may be called only on task's own loop. */
bool task_was_cancelled(const struct task *task);
/* A cancel scope: a stretch of one task's work under a deadline.  The caller
   allocates it, on its own stack as a rule, and passes its address; the fields
   are the loop's, set by scope_enter, and private. */
struct cancel_scope {
    struct cancel_scope *outer;     /* the scope it was entered in, or NULL */
    int64_t deadline;               /* its own, in ns on the monotonic clock */
    int64_t wait_deadline;          /* the one its waits obey: its own or outer's */
    bool shield;                    /* entered with scope_enter_shielded */
    bool shielded;                  /* cancel() cannot reach in: it or an outer
                                       scope is a shield */
};

/* Enter scope in the calling task.  Once `seconds` have passed (INFINITY: never),
   every wait returns -ETIMEDOUT at once until the scope is left; so do schedule()
   and cancel(), as for a pending cancel.  Scopes nest, and a wait obeys the
   earliest deadline among them, out to the nearest shielded one.  0, or -EINVAL
   (scope NULL, seconds negative or NaN), -EPERM (not in a task). */
int scope_enter(struct cancel_scope *scope, double seconds);
/* The same, shielded: neither cancel() nor the deadlines of the scopes around it
   reach a wait inside.  A cancel stays pending until the scope is left; its own
   deadline applies. */
int scope_enter_shielded(struct cancel_scope *scope, double seconds);
/* Leave scope, the task's innermost: 0, or -ETIMEDOUT if its own deadline has
   passed; -EINVAL (not the innermost: nothing changes), -EPERM. */
int scope_leave(struct cancel_scope *scope);

#endif

/* programs/fd_errors.c, tangled from chapters 5, 12 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"
#include "clock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Report how a request ended (chapter 5) */
static void report(const char *what, int status)
{
    printf("%s: %s\n", what, status == 0 ? "ok" : strerror(-status));
}

/* Refuse descriptors that select cannot watch (chapter 12) */
static int pipe_ends[2];

static int open_high_fd(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_max <= FD_SETSIZE)
        return -1;
    if (limit.rlim_cur <= FD_SETSIZE) {
        limit.rlim_cur = FD_SETSIZE + 1;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0)
            return -1;
    }
    return dup2(pipe_ends[0], FD_SETSIZE);
}

static void try_high_descriptor(void)
{
    int high = open_high_fd();
    char byte;
    if (high < 0 || write(pipe_ends[1], "x", 1) != 1) {
        printf("Readable on fd FD_SETSIZE: not tried (RLIMIT_NOFILE is too low)\n");
        return;
    }
    report("Readable on fd FD_SETSIZE", await_readable(high));
    if (read(high, &byte, 1) != 1)
        printf("the byte written for fd FD_SETSIZE was lost\n");
    async_close(high);
}

static void try_bad_descriptors(void)
{
    report("Readable on fd -1", await_readable(-1));
    int closed = dup(pipe_ends[0]);
    close(closed);
    report("Readable on a closed fd", await_readable(closed));
}
/* Close a pipe under a waiting task while a ticker ticks (chapter 12) */
static void *waiter(void *arg)
{
    (void)arg;
    printf("waiter: waits for the pipe to become readable\n");
    report("waiter on a pipe that another task closes", await_readable(pipe_ends[0]));
    return NULL;
}

static void *closer(void *arg)
{
    (void)arg;
    async_sleep(0.05);
    printf("closer: closes the pipe with async_close()\n");
    async_close(pipe_ends[0]);
    return NULL;
}

static void *ticker(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 3; i++) {
        async_sleep(0.03);
        printf("ticker: tick %d\n", i);
    }
    return NULL;
}

static void *bad_descriptors_and_closed_pipe(void *arg)
{
    (void)arg;
    try_high_descriptor();
    schedule(waiter, NULL, NULL);
    try_bad_descriptors();
    schedule(closer, NULL, NULL);
    schedule(ticker, NULL, NULL);
    return NULL;
}
/* Wake a task with urgent data, and fail to wake one with a refused connection (chapter 12) */
static struct sockaddr_in loopback(void)
{
    struct sockaddr_in address = { .sin_family = AF_INET };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

static int tcp_pair(int pair[2])
{
    struct sockaddr_in address = loopback();
    socklen_t length = sizeof address;
    int server = socket(AF_INET, SOCK_STREAM, 0);
    pair[0] = pair[1] = -1;
    if (server >= 0 && bind(server, (struct sockaddr *)&address, length) == 0 &&
        listen(server, 1) == 0 &&
        getsockname(server, (struct sockaddr *)&address, &length) == 0 &&
        (pair[0] = socket(AF_INET, SOCK_STREAM, 0)) >= 0 &&
        connect(pair[0], (struct sockaddr *)&address, length) == 0)
        pair[1] = accept(server, NULL, NULL);
    if (server >= 0)
        close(server);
    return pair[1] >= 0 ? 0 : -1;
}

static int tcp[2];

static void *urgent_receiver(void *arg)
{
    (void)arg;
    printf("receiver: waits with Errored on a TCP socket\n");
    int status = await_errored(tcp[1]);
    char byte;
    if (status == 0 && recv(tcp[1], &byte, 1, MSG_OOB) == 1)
        printf("receiver: Errored woke it for urgent data: '%c'\n", byte);
    else
        report("receiver", status);
    return NULL;
}

static int start_refused_connect(int *reserved)
{
    struct sockaddr_in address = loopback();
    socklen_t length = sizeof address;
    *reserved = socket(AF_INET, SOCK_STREAM, 0);
    if (*reserved < 0 || bind(*reserved, (struct sockaddr *)&address, length) != 0 ||
        getsockname(*reserved, (struct sockaddr *)&address, &length) != 0)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || fd_set_nonblocking(fd) != 0)
        return -1;
    int status = connect(fd, (struct sockaddr *)&address, length) == 0 ? 0 : errno;
    printf("connect to a port nobody listens on: %s\n", strerror(status));
    return fd;
}

static int refused;

static void *errored_on_refused(void *arg)
{
    (void)arg;
    report("Errored on the refused socket", await_errored(refused));
    return NULL;
}

static void *writable_on_refused(void *arg)
{
    (void)arg;
    int status = await_writable(refused), error = 0;
    socklen_t size = sizeof error;
    getsockopt(refused, SOL_SOCKET, SO_ERROR, &error, &size);
    printf("Writable on the refused socket: %s, SO_ERROR: %s\n",
           status == 0 ? "ok" : strerror(-status), strerror(error));
    async_close(refused);
    return NULL;
}

static void *show_what_errored_means(void *arg)
{
    (void)arg;
    int reserved = -1;
    if (tcp_pair(tcp) != 0)
        return "no loopback TCP";
    schedule(urgent_receiver, NULL, NULL);
    async_sleep(0.02);
    printf("sender: sends \"!\" with MSG_OOB\n");
    send(tcp[0], "!", 1, MSG_OOB);
    async_sleep(0.02);
    refused = start_refused_connect(&reserved);
    if (refused >= 0) {
        schedule(errored_on_refused, NULL, NULL);
        schedule(writable_on_refused, NULL, NULL);
        async_sleep(0.02);
    }
    close(reserved);
    close(tcp[0]);
    close(tcp[1]);
    return NULL;
}
/* Keep waiting while signals interrupt select (chapter 5) */
static volatile sig_atomic_t signals_caught;
static int slow_pipe[2];

static void count_signal(int signal_number)
{
    (void)signal_number;
    signals_caught++;
}

static void signal_every(long microseconds)
{
    struct itimerval every = { { 0, microseconds }, { 0, microseconds } };
    setitimer(ITIMER_REAL, &every, NULL);
}

static void *slow_writer(void *arg)
{
    (void)arg;
    async_sleep(0.1);
    if (write(slow_pipe[1], "x", 1) != 1)
        return "write failed";
    return NULL;
}

static void *wait_through_signals(void *arg)
{
    (void)arg;
    struct sigaction action = { .sa_handler = count_signal, .sa_flags = SA_RESTART };
    sigemptyset(&action.sa_mask);
    if (pipe(slow_pipe) != 0 || sigaction(SIGALRM, &action, NULL) != 0)
        return "no pipe or no handler";
    schedule(slow_writer, NULL, NULL);
    nanoseconds start = clock_now();
    signal_every(2000);
    int status = await_readable(slow_pipe[0]);
    signal_every(0);
    nanoseconds waited = clock_now() - start;
    report("reader: the pipe became readable", status);
    printf("reader: waited at least 100 ms: %s\n", waited >= 100000000 ? "yes" : "no");
    printf("signals arrived while it waited: %s\n", signals_caught > 0 ? "yes" : "no");
    close(slow_pipe[0]);
    close(slow_pipe[1]);
    return NULL;
}

/* Run the four parts, one loop each (chapter 5) */
int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (pipe(pipe_ends) != 0)
        return 1;
    int status = event_loop(bad_descriptors_and_closed_pipe, NULL);
    close(pipe_ends[1]);
    if (status == 0)
        status = event_loop(show_what_errored_means, NULL);
    if (status == 0)
        status = event_loop(wait_through_signals, NULL);
    return status == 0 ? 0 : 1;
}

/* programs/completions.c, tangled from chapter 13 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Keep a connected pair of sockets for each case (chapter 13) */
struct pair {
    int ours;                   /* the socket a task waits on */
    int theirs;                 /* the other end, which main writes and reads */
};

static int pair_open(struct pair *pair)
{
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        return -errno;
    pair->ours = fds[0];
    pair->theirs = fds[1];
    return fd_set_nonblocking(pair->ours);
}

static void pair_close(struct pair *pair)
{
    if (pair->ours >= 0)
        async_close(pair->ours);
    async_close(pair->theirs);
}

static const char *yes_no(bool answer)
{
    return answer ? "yes" : "no";
}

static const char *outcome(long status)
{
    return status < 0 ? strerror((int)-status) : "ok";
}
/* Cancel a recv the kernel holds (chapter 13) */
struct receiver {
    struct pair *pair;
    char buffer[16];
    ssize_t received;
};

static void *receive_once(void *arg)
{
    struct receiver *receiver = arg;
    receiver->received = async_recv(receiver->pair->ours, receiver->buffer,
                                    sizeof receiver->buffer);
    return NULL;
}

static bool untouched(const char *buffer, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (buffer[i] != 'x')
            return false;
    return true;
}

static void cancel_a_recv(void)
{
    struct pair pair;
    struct receiver receiver = { .pair = &pair };
    struct task *task;
    char late[8] = { 0 };
    memset(receiver.buffer, 'x', sizeof receiver.buffer);
    if (pair_open(&pair) != 0 || schedule(receive_once, &receiver, &task) != 0)
        return;
    async_sleep(0.01);                  /* the recv is the kernel's now */
    cancel(task);
    while (!task_is_done(task))
        async_sleep(0.001);
    send(pair.theirs, "late", 4, 0);
    ssize_t got = async_recv(pair.ours, late, sizeof late);
    printf("a recv cancelled in flight: %s; its buffer untouched: %s\n",
           outcome(receiver.received), yes_no(untouched(receiver.buffer, 16)));
    printf("  bytes sent after the cancel are still there: %s\n",
           yes_no(got == 4 && memcmp(late, "late", 4) == 0));
    task_release(task);
    pair_close(&pair);
}
/* Send bytes and cancel in the same turn (chapter 13) */
struct collector {
    struct pair *pair;
    size_t expected;
    size_t received;
    bool told;                  /* whether some wait returned -ECANCELED */
};

static void *collect(void *arg)
{
    struct collector *collector = arg;
    char buffer[64];
    while (collector->received < collector->expected) {
        ssize_t got = async_recv(collector->pair->ours, buffer, sizeof buffer);
        if (got == -ECANCELED)
            collector->told = true;
        else if (got > 0)
            collector->received += (size_t)got;
        else
            break;
    }
    if (!collector->told)
        collector->told = async_sleep(0) == -ECANCELED;     /* still pending? */
    return NULL;
}

static void cancel_with_bytes_on_the_way(void)
{
    struct pair pair;
    struct collector collector = { .pair = &pair, .expected = 5 };
    struct task *task;
    if (pair_open(&pair) != 0 || schedule(collect, &collector, &task) != 0)
        return;
    async_sleep(0.01);
    send(pair.theirs, "hello", 5, 0);
    async_sleep(0);                     /* one wait: the loop hears of the bytes first */
    cancel(task);
    while (!task_is_done(task))
        async_sleep(0.001);
    printf("bytes and a cancel at once: told it was cancelled: %s; got %zu of 5 bytes\n",
           yes_no(collector.told), collector.received);
    task_release(task);
    pair_close(&pair);
}
/* Close a socket under a recv the kernel holds (chapter 13) */
static void close_under_a_recv(void)
{
    struct pair pair;
    struct receiver receiver = { .pair = &pair };
    struct task *task;
    char end[4];
    if (pair_open(&pair) != 0 || schedule(receive_once, &receiver, &task) != 0)
        return;
    async_sleep(0.01);
    async_close(pair.ours);
    pair.ours = -1;
    while (!task_is_done(task))
        async_sleep(0.001);
    ssize_t got = recv(pair.theirs, end, sizeof end, MSG_DONTWAIT);
    printf("a recv on a socket closed under it: %s; the peer saw the end: %s\n",
           outcome(receiver.received), yes_no(got == 0));
    task_release(task);
    pair_close(&pair);
}
/* Cancel an accept and a send the kernel holds (chapter 13) */
struct acceptor {
    int server_fd;
    int result;
};

static void *accept_once(void *arg)
{
    struct acceptor *acceptor = arg;
    acceptor->result = async_accept(acceptor->server_fd, NULL);
    return NULL;
}

static void cancel_an_accept(void)
{
    struct acceptor acceptor = { .server_fd = async_listen("127.0.0.1", 0, 8) };
    struct endpoint local;
    struct task *task;
    if (acceptor.server_fd < 0 || schedule(accept_once, &acceptor, &task) != 0)
        return;
    async_sleep(0.01);
    cancel(task);
    while (!task_is_done(task))
        async_sleep(0.001);
    socket_local_endpoint(acceptor.server_fd, &local);
    int client = async_connect("127.0.0.1", local.port);
    int accepted = async_accept(acceptor.server_fd, NULL);
    printf("an accept cancelled in flight: %s; the listener accepts again: %s\n",
           outcome(acceptor.result), yes_no(client >= 0 && accepted >= 0));
    if (accepted >= 0)
        async_close(accepted);
    if (client >= 0)
        async_close(client);
    async_close(acceptor.server_fd);
    task_release(task);
}

enum { BIG = 4 << 20 };
static char big[BIG];

struct sender {
    int fd;
    ssize_t result;
};

static void *send_big(void *arg)
{
    struct sender *sender = arg;
    sender->result = async_send(sender->fd, big, BIG);
    return NULL;
}

static void cancel_a_send(void)
{
    struct pair pair;
    struct sender sender;
    struct task *task;
    if (pair_open(&pair) != 0)
        return;
    sender.fd = pair.ours;
    if (schedule(send_big, &sender, &task) != 0)
        return;
    async_sleep(0.01);                  /* the peer reads nothing */
    cancel(task);
    while (!task_is_done(task))
        async_sleep(0.001);
    printf("a send of 4 MiB to a peer that reads nothing, cancelled: %s\n",
           outcome(sender.result));
    task_release(task);
    pair_close(&pair);
}
/* Run the cases one after another (chapter 13) */
static void *run_cases(void *arg)
{
    (void)arg;
    printf("poller: %s\n", event_loop_poller());
    cancel_a_recv();
    cancel_with_bytes_on_the_way();
    close_under_a_recv();
    cancel_an_accept();
    cancel_a_send();
    return NULL;
}

int main(void)
{
    int status = event_loop(run_cases, NULL);
    if (status != 0)
        fprintf(stderr, "completions: event_loop: %s\n", strerror(-status));
    return status == 0 ? 0 : 1;
}

/* programs/echo_server.c, tangled from chapters 7, 14 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Describe a client and the server's options (chapter 14) */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>

struct client {
    int fd;
    struct endpoint address;
};

enum { MAX_LOOPS = 256 };

struct server_options {
    const char *host;
    int port;
    int loops;                  /* -j: loops, each on a thread of its own */
};

struct server_loop {
    const struct server_options *options;
    int port;                   /* the port the first loop got, for the others */
    int ready_fd;               /* where the others say whether they listen */
    bool answered;              /* it has told the first loop whether it listens */
    int failed;                 /* this loop could not go on */
    pthread_t thread;
};

static int quiet;
/* Echo what one client sends until it hangs up (chapter 7) */
static int text_length_without_trailing_space(const char *text, ssize_t length)
{
    while (length > 0 && isspace((unsigned char)text[length - 1]))
        length--;
    return (int)length;
}

static void *echo_handler(void *arg)
{
    struct client *client = arg;
    char data[1024];
    ssize_t received;
    const char *host = client->address.host;
    int port = client->address.port;
    if (!quiet)
        printf("New connection from %s:%d\n", host, port);
    while ((received = async_recv(client->fd, data, sizeof data)) > 0) {
        if (!quiet)
            printf("Received from %s:%d: %.*s\n", host, port,
                   text_length_without_trailing_space(data, received), data);
        if (async_send(client->fd, data, (size_t)received) < 0)
            break;
    }
    async_close(client->fd);
    if (!quiet)
        printf("Connection closed from %s:%d\n", host, port);
    free(client);
    return NULL;
}

/* Accept clients and give each its own task (chapter 14) */
static int serve_client(int fd, const struct endpoint *address)
{
    struct client *client = malloc(sizeof *client);
    if (client == NULL)
        return -ENOMEM;
    client->fd = fd;
    client->address = *address;
    int status = schedule(echo_handler, client, NULL);
    if (status != 0)
        free(client);
    return status;
}

static void accept_clients(struct server_loop *self, int server_fd)
{
    for (;;) {
        struct endpoint address;
        int fd = async_accept(server_fd, &address);
        if (fd == -EOVERFLOW) {
            fprintf(stderr, "Refused %s:%d: the poller cannot watch its descriptor\n",
                    address.host, address.port);
            continue;
        }
        if (fd < 0) {
            fprintf(stderr, "Server error: %s\n", strerror(-fd));
            self->failed = 1;
            break;
        }
        int status = serve_client(fd, &address);
        if (status != 0) {
            fprintf(stderr, "Could not serve %s:%d: %s\n", address.host, address.port,
                    strerror(-status));
            async_close(fd);
        }
    }
    async_close(server_fd);
}

static int listen_for(const struct server_options *options, int port)
{
    if (options->loops == 1)
        return async_listen(options->host, port, 128);
    return async_listen_shared(options->host, port, 128);
}

static int tell_first_loop(struct server_loop *self, int status)
{
    unsigned char answer = (unsigned char)-status;      /* 0, or an errno */
    self->answered = true;
    return write(self->ready_fd, &answer, 1) == 1 ? status : -errno;
}

static void *serve_another(void *arg)
{
    struct server_loop *self = arg;
    int server_fd = listen_for(self->options, self->port);
    if (tell_first_loop(self, server_fd < 0 ? server_fd : 0) != 0 || server_fd < 0) {
        self->failed = 1;
        return NULL;
    }
    accept_clients(self, server_fd);
    return NULL;
}

static void *run_another_loop(void *arg)
{
    struct server_loop *self = arg;
    int status = event_loop(serve_another, self);
    if (status != 0 && !self->answered)
        tell_first_loop(self, status);      /* the loop never started */
    if (status != 0)
        self->failed = 1;
    return NULL;
}

static int read_answer(int fd)
{
    unsigned char answer;
    int status = await_readable(fd);
    if (status == 0 && read(fd, &answer, 1) != 1)
        status = -EIO;
    return status != 0 ? status : -(int)answer;     /* 0, or the errno it sent */
}

static int start_other_loops(struct server_loop *loops, int count, int port)
{
    int ready[2];
    if (pipe(ready) != 0)
        return -errno;
    int started = 1, status = 0;
    while (started < count && status == 0) {
        loops[started].port = port;
        loops[started].ready_fd = ready[1];
        status = -pthread_create(&loops[started].thread, NULL, run_another_loop,
                                 &loops[started]);
        if (status == 0)
            started++;
    }
    for (int i = 1; i < started; i++) {
        int answer = read_answer(ready[0]);
        if (status == 0)
            status = answer;
    }
    async_close(ready[0]);
    close(ready[1]);
    return status;
}

static void *server(void *arg)
{
    struct server_loop *loops = arg;
    const struct server_options *options = loops[0].options;
    int server_fd = listen_for(options, options->port);
    struct endpoint local;
    int status = server_fd;
    if (server_fd >= 0)
        status = socket_local_endpoint(server_fd, &local);
    if (status >= 0)
        status = start_other_loops(loops, options->loops, local.port);
    if (status < 0) {
        fprintf(stderr, "Server error: %s\n", strerror(-status));
        loops[0].failed = 1;
        return NULL;
    }
    printf("Server listening on %s:%d\n", local.host, local.port);
    accept_clients(&loops[0], server_fd);
    return NULL;
}
/* Read the server's command line and run the loop (chapter 14) */
static int limit_open_files(const char *text)
{
    struct rlimit limit;
    long wanted;
    if (parse_number(text, 1, 1L << 20, &wanted) != 0 || getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return -1;
    limit.rlim_cur = (rlim_t)wanted;
    return setrlimit(RLIMIT_NOFILE, &limit);
}

static int usage(void)
{
    fputs("usage: echo_server [-q] [-j LOOPS] [-n MAX_OPEN_FILES] [HOST [PORT]]\n", stderr);
    return 2;
}

static int parse_options(int argc, char **argv, struct server_options *options)
{
    long port = options->port, loops = 1;
    int option;
    while ((option = getopt(argc, argv, ":qj:n:")) != -1) {
        switch (option) {
        case 'q':
            quiet = 1;
            break;
        case 'j':
            if (parse_number(optarg, 1, MAX_LOOPS, &loops) != 0)
                return -1;
            break;
        case 'n':
            if (limit_open_files(optarg) != 0)
                return -1;
            break;
        default:
            return -1;
        }
    }
    if (optind < argc)
        options->host = argv[optind++];
    if (optind < argc && parse_number(argv[optind++], 0, 65535, &port) != 0)
        return -1;
    options->port = (int)port;
    options->loops = (int)loops;
    return optind < argc ? -1 : 0;
}

int main(int argc, char **argv)
{
    static struct server_loop loops[MAX_LOOPS];
    struct server_options options = { "127.0.0.1", 7777, 1 };
    if (parse_options(argc, argv, &options) != 0)
        return usage();
    for (int i = 0; i < options.loops; i++)
        loops[i].options = &options;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (event_loop(server, loops) != 0)
        loops[0].failed = 1;
    return loops[0].failed ? 1 : 0;
}

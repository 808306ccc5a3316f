/* programs/echo_server.c, tangled from chapter 7 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* Describe a client and the server's options (chapter 7) */
struct client {
    int fd;
    struct endpoint address;
};

struct server_options {
    const char *host;
    int port;
};

static int quiet;
static int server_failed;

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

/* Accept clients and give each its own task (chapter 7) */
static void *server(void *arg)
{
    struct server_options *options = arg;
    int server_fd = async_listen(options->host, options->port, 128);
    if (server_fd < 0) {
        fprintf(stderr, "Server error: %s\n", strerror(-server_fd));
        server_failed = 1;
        return NULL;
    }
    struct endpoint local;
    socket_local_endpoint(server_fd, &local);
    printf("Server listening on %s:%d\n", local.host, local.port);
    for (;;) {
        struct client *client = malloc(sizeof *client);
        if (client == NULL)
            break;
        client->fd = async_accept(server_fd, &client->address);
        if (client->fd < 0) {
            fprintf(stderr, "Server error: %s\n", strerror(-client->fd));
            server_failed = 1;
            free(client);
            break;
        }
        schedule(echo_handler, client, NULL);
    }
    async_close(server_fd);
    return NULL;
}

/* Read the server's command line and run the loop (chapter 7) */
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
    fputs("usage: echo_server [-q] [-n MAX_OPEN_FILES] [HOST [PORT]]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    struct server_options options = { "127.0.0.1", 7777 };
    long port = options.port;
    int option;
    while ((option = getopt(argc, argv, "qn:")) != -1) {
        if (option == 'q')
            quiet = 1;
        else if (option != 'n' || limit_open_files(optarg) != 0)
            return usage();
    }
    if (optind < argc)
        options.host = argv[optind++];
    if (optind < argc && parse_number(argv[optind++], 0, 65535, &port) != 0)
        return usage();
    if (optind < argc)
        return usage();
    options.port = (int)port;
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(server, &options) == 0 && !server_failed ? 0 : 1;
}

/* programs/echo_client.c, tangled from chapter 7 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Connect, send each message and print the echo (chapter 7) */
struct client_options {
    const char *host;
    int port;
    char **messages;
    int count;
};

static int client_failed;

static void *client(void *arg)
{
    struct client_options *options = arg;
    char response[1024];
    printf("Client connecting to %s:%d\n", options->host, options->port);
    int sock = async_connect(options->host, options->port);
    if (sock < 0) {
        printf("Client error: %s\n", strerror(-sock));
        client_failed = 1;
        return NULL;
    }
    for (int i = 0; i < options->count; i++) {
        const char *message = options->messages[i];
        printf("Client sending: %s\n", message);
        if (async_send(sock, message, strlen(message)) < 0) {
            client_failed = 1;
            break;
        }
        ssize_t received = async_recv(sock, response, sizeof response);
        if (received <= 0) {
            client_failed = 1;
            break;
        }
        printf("Client received: %.*s\n", (int)received, response);
        async_sleep(0.5);
    }
    printf("Client finished sending messages\n");
    async_close(sock);
    return NULL;
}

/* Take the host, port and messages from the command line (chapter 7) */
int main(int argc, char **argv)
{
    long port;
    if (argc < 4 || parse_number(argv[2], 1, 65535, &port) != 0) {
        fprintf(stderr, "usage: echo_client HOST PORT MESSAGE...\n");
        return 2;
    }
    struct client_options options = { argv[1], (int)port, argv + 3, argc - 3 };
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(client, &options) == 0 && !client_failed ? 0 : 1;
}

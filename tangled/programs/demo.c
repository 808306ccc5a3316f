/* programs/demo.c, tangled from chapter 8 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Say where the server listens (chapter 8) */
static const char *host = "127.0.0.1";
static int port = 7777;

/* Sleep for a while, then say something (chapter 8) */
struct sleep_print_args {
    double seconds;
    const char *message;
};

static void *sleep_print(void *arg)
{
    struct sleep_print_args *args = arg;
    async_sleep(args->seconds);
    printf("%s\n", args->message);
    return NULL;
}

/* Run the sleep demo (chapter 8) */
static void demo_sleep(void)
{
    static struct sleep_print_args one = { 1, "One" }, two = { 2, "Two" };
    printf("\n--- Sleep Demo ---\n");
    printf("Start\n");
    schedule(sleep_print, &one, NULL);
    schedule(sleep_print, &two, NULL);
    async_sleep(3);
    printf("End sleep demo\n");
}

/* Remember whom a handler talks to (chapter 8) */
struct connection {
    int sock;
    struct endpoint addr;
};

static int trimmed(const char *data, ssize_t length)
{
    while (length > 0 && isspace((unsigned char)data[length - 1]))
        length--;
    return (int)length;
}

/* Echo one client, saying what it sent (chapter 8) */
static void *echo_handler(void *arg)
{
    struct connection *client = arg;
    const char *peer = client->addr.host;
    int peer_port = client->addr.port;
    char data[1024];
    ssize_t length;
    printf("New connection from %s:%d\n", peer, peer_port);
    while ((length = async_recv(client->sock, data, sizeof data)) > 0) {
        printf("Received from %s:%d: %.*s\n", peer, peer_port,
               trimmed(data, length), data);
        if (async_send(client->sock, data, (size_t)length) < 0)
            break;
    }
    if (length < 0)
        printf("Error handling client %s:%d: %s\n", peer, peer_port,
               strerror((int)-length));
    async_close(client->sock);
    printf("Connection closed from %s:%d\n", peer, peer_port);
    free(client);
    return NULL;
}

/* Accept clients, each in a task of its own (chapter 8) */
static void *server(void *arg)
{
    (void)arg;
    int server_sock = async_listen(host, port, 5);
    if (server_sock < 0) {
        printf("Server error: %s\n", strerror(-server_sock));
        return NULL;
    }
    printf("Server listening on %s:%d\n", host, port);
    for (;;) {
        struct connection *client = malloc(sizeof *client);
        if (client == NULL)
            break;
        client->sock = async_accept(server_sock, &client->addr);
        if (client->sock < 0) {
            free(client);
            break;
        }
        schedule(echo_handler, client, NULL);
    }
    async_close(server_sock);
    return NULL;
}

/* Send three messages and print each echo (chapter 8) */
static const char *messages[] = {
    "Hello from the client!",
    "This is a test message",
    "Goodbye!",
};

static int send_messages(int sock)
{
    char response[1024];
    for (size_t i = 0; i < sizeof messages / sizeof messages[0]; i++) {
        printf("Client sending: %s\n", messages[i]);
        ssize_t status = async_send(sock, messages[i], strlen(messages[i]));
        if (status >= 0)
            status = async_recv(sock, response, sizeof response);
        if (status == 0)
            return -ECONNRESET;
        if (status < 0)
            return (int)status;
        printf("Client received: %.*s\n", trimmed(response, status),
               response);
        int slept = async_sleep(0.5);
        if (slept < 0)
            return slept;
    }
    return 0;
}

/* Connect, talk and hang up (chapter 8) */
static void *client(void *arg)
{
    (void)arg;
    printf("Client connecting to %s:%d\n", host, port);
    int sock = async_connect(host, port);
    if (sock < 0) {
        printf("Client error: %s\n", strerror(-sock));
        return NULL;
    }
    int status = send_messages(sock);
    if (status == 0)
        printf("Client finished sending messages\n");
    else
        printf("Client error: %s\n", strerror(-status));
    async_close(sock);
    return NULL;
}

/* Run the socket demo (chapter 8) */
static void demo_socket(void)
{
    printf("\n--- Socket Demo ---\n");
    struct task *server_task = NULL;
    schedule(server, NULL, &server_task);

    async_sleep(0.1);

    schedule(client, NULL, NULL);

    async_sleep(5);
    cancel(server_task);
    task_release(server_task);
    printf("Socket demo finished\n");
}

/* Count the seconds until cancelled (chapter 8) */
static void *long_running_task(void *arg)
{
    (void)arg;
    printf("Long-running task started\n");
    int count = 0;
    for (;;) {
        count++;
        printf("Long-running task iteration %d\n", count);
        if (async_sleep(1) == -ECANCELED) {
            printf("Task was cancelled!\n");
            break;
        }
    }
    printf("Long-running task cleanup\n");
    return NULL;
}

/* Run the cancellation demo (chapter 8) */
static void demo_cancellation(void)
{
    printf("\n--- Cancellation Demo ---\n");
    printf("Starting a long-running task that will be cancelled\n");

    struct task *task = NULL;
    schedule(long_running_task, NULL, &task);

    async_sleep(3);

    printf("Cancelling the task...\n");
    cancel(task);
    task_release(task);

    async_sleep(1);
    printf("Cancellation demo finished\n");
}

/* Run the three demos from the main task (chapter 8) */
static void *demo_main(void *arg)
{
    (void)arg;
    printf("Starting async-from-scratch demos\n");
    demo_sleep();
    demo_socket();
    demo_cancellation();
    printf("\nAll demos completed successfully!\n");
    return NULL;
}

int main(int argc, char **argv)
{
    long wanted = port;
    if (argc > 2 || (argc == 2 && parse_number(argv[1], 1, 65535, &wanted) != 0)) {
        fputs("usage: demo [PORT]\n", stderr);
        return 2;
    }
    port = (int)wanted;
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(demo_main, NULL) == 0 ? 0 : 1;
}

/* programs/echo_load.c, tangled from chapter 7 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Remember what the load run was asked to do (chapter 7) */
struct load {
    const char *host;
    int port;
    int clients;
    int messages;
    size_t big;
    int finished;
    int failed;
};

static struct load load;

/* Exchange one message and check that it comes back (chapter 7) */
static int exchange_one(int fd, int client, int message)
{
    char sent[64], received[64];
    int length = snprintf(sent, sizeof sent, "client %05d message %05d\n",
                          client, message);
    if (async_send(fd, sent, (size_t)length) != length)
        return -1;
    for (int have = 0; have < length;) {
        ssize_t n = async_recv(fd, received + have, (size_t)(length - have));
        if (n <= 0)
            return -1;
        have += (int)n;
    }
    return memcmp(sent, received, (size_t)length) == 0 ? 0 : -1;
}

/* Run one chatty client (chapter 7) */
static void *chatty_client(void *arg)
{
    int number = (int)(intptr_t)arg;
    int fd = async_connect(load.host, load.port);
    int ok = fd >= 0;
    for (int i = 0; ok && i < load.messages; i++)
        ok = exchange_one(fd, number, i) == 0;
    if (fd >= 0)
        async_close(fd);
    if (ok)
        load.finished++;
    else
        load.failed++;
    return NULL;
}

/* Make a pattern that no mistake reproduces (chapter 7) */
static unsigned char pattern_byte(size_t offset)
{
    return (unsigned char)(offset * 31 + offset / 4096);
}

struct big_transfer {
    int fd;
    unsigned char *data;
    size_t received;
    int mismatches;
};

/* Write the big message from one task (chapter 7) */
static void *big_writer(void *arg)
{
    struct big_transfer *transfer = arg;
    if (async_send(transfer->fd, transfer->data, load.big) != (ssize_t)load.big)
        load.failed++;
    shutdown(transfer->fd, SHUT_WR);
    return NULL;
}

/* Read the big message back in another (chapter 7) */
static void *big_reader(void *arg)
{
    struct big_transfer *transfer = arg;
    unsigned char buffer[16384];
    ssize_t n;
    while ((n = async_recv(transfer->fd, buffer, sizeof buffer)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buffer[i] != pattern_byte(transfer->received + (size_t)i))
                transfer->mismatches++;
        transfer->received += (size_t)n;
    }
    async_close(transfer->fd);
    if (transfer->received == load.big && transfer->mismatches == 0)
        load.finished++;
    else
        load.failed++;
    return NULL;
}

/* Start the big transfer (chapter 7) */
static void *start_big(void *arg)
{
    static struct big_transfer transfer;
    (void)arg;
    transfer.data = malloc(load.big);
    if (transfer.data == NULL)
        return NULL;
    for (size_t i = 0; i < load.big; i++)
        transfer.data[i] = pattern_byte(i);
    transfer.fd = async_connect(load.host, load.port);
    if (transfer.fd < 0) {
        load.failed++;
        free(transfer.data);
        return NULL;
    }
    schedule(big_reader, &transfer, NULL);
    big_writer(&transfer);
    while (load.finished + load.failed == 0)
        async_sleep(0.01);
    free(transfer.data);
    return NULL;
}

/* Start the chatty clients (chapter 7) */
static void *start_clients(void *arg)
{
    (void)arg;
    for (int i = 0; i < load.clients; i++)
        schedule(chatty_client, (void *)(intptr_t)i, NULL);
    return NULL;
}

/* Choose between many clients and one big message (chapter 7) */
static int usage(void)
{
    fputs("usage: echo_load HOST PORT CLIENTS MESSAGES\n"
          "       echo_load --big BYTES HOST PORT\n", stderr);
    return 2;
}

static int run_big(char **argv)
{
    long bytes, port;
    if (parse_number(argv[2], 1, 1L << 30, &bytes) != 0
        || parse_number(argv[4], 1, 65535, &port) != 0)
        return usage();
    load = (struct load){ .host = argv[3], .port = (int)port, .big = (size_t)bytes };
    event_loop(start_big, NULL);
    printf("%zu bytes echoed: %s\n", load.big,
           load.finished == 1 ? "identical" : "DIFFERENT");
    return load.finished == 1 ? 0 : 1;
}

int main(int argc, char **argv)
{
    long port, clients, messages;
    if (argc == 5 && strcmp(argv[1], "--big") == 0)
        return run_big(argv);
    if (argc != 5 || parse_number(argv[2], 1, 65535, &port) != 0
        || parse_number(argv[3], 1, 10000, &clients) != 0
        || parse_number(argv[4], 1, 1000000, &messages) != 0)
        return usage();
    load = (struct load){ .host = argv[1], .port = (int)port,
                          .clients = (int)clients, .messages = (int)messages };
    event_loop(start_clients, NULL);
    printf("%d clients x %d messages: %d clients got every byte back, %d failed\n",
           load.clients, load.messages, load.finished, load.failed);
    return load.failed == 0 && load.finished == load.clients ? 0 : 1;
}

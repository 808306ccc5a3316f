/* programs/bench_echo.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"
#include "measure.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Remember what the echo benchmark was asked to do (chapter 9) */
struct echo_run {
    const char *host;
    int port;
    int connections;
    long rounds;
    size_t size;
    long think_us;              /* a pause before each round but the first */
    long long *latency;         /* one per round trip, connection by connection */
    long round_trips;
    int failed;
};

static struct echo_run run;

/* Fill a message and check its echo byte by byte (chapter 9) */
static unsigned char echo_byte(int connection, long round, size_t offset)
{
    return (unsigned char)(connection * 101 + round * 7 + (long)offset * 31 + 1);
}

static void fill_message(unsigned char *message, int connection, long round)
{
    for (size_t i = 0; i < run.size; i++)
        message[i] = echo_byte(connection, round, i);
}

static int check_echo(const unsigned char *echo, int connection, long round)
{
    for (size_t i = 0; i < run.size; i++) {
        unsigned char sent = echo_byte(connection, round, i);
        if (echo[i] != sent) {
            fprintf(stderr, "bench_echo: connection %d, round %ld: byte %zu came back as "
                    "0x%02x, sent 0x%02x\n", connection, round, i, echo[i], sent);
            return -1;
        }
    }
    return 0;
}

/* Send a message and wait for all of its echo (chapter 9) */
static int receive_echo(int fd, unsigned char *echo, int connection, long round)
{
    for (size_t have = 0; have < run.size;) {
        ssize_t n = async_recv(fd, echo + have, run.size - have);
        if (n <= 0) {
            fprintf(stderr, "bench_echo: connection %d, round %ld: %s after %zu of %zu "
                    "bytes\n", connection, round, n == 0 ? "the server hung up"
                    : strerror((int)-n), have, run.size);
            return -1;
        }
        have += (size_t)n;
    }
    return 0;
}

static int round_trip(int fd, unsigned char *message, unsigned char *echo,
                      int connection, long round)
{
    fill_message(message, connection, round);
    long long start = now_ns();
    if (async_send(fd, message, run.size) != (ssize_t)run.size) {
        fprintf(stderr, "bench_echo: connection %d, round %ld: send failed\n",
                connection, round);
        return -1;
    }
    if (receive_echo(fd, echo, connection, round) != 0)
        return -1;
    run.latency[(long)connection * run.rounds + round] = now_ns() - start;
    return check_echo(echo, connection, round);
}

/* Run one connection for all its rounds (chapter 9) */
static void *connection_task(void *arg)
{
    int connection = (int)(intptr_t)arg;
    unsigned char *message = malloc(run.size), *echo = malloc(run.size);
    int fd = async_connect(run.host, run.port);
    if (fd < 0)
        fprintf(stderr, "bench_echo: cannot connect to %s:%d: %s\n", run.host, run.port,
                strerror(-fd));
    if (fd < 0 || message == NULL || echo == NULL)
        run.failed = 1;
    for (long round = 0; !run.failed && round < run.rounds; round++) {
        if (round > 0 && run.think_us > 0)
            async_sleep((double)run.think_us / 1e6);
        if (round_trip(fd, message, echo, connection, round) != 0)
            run.failed = 1;
        else
            run.round_trips++;
    }
    if (fd >= 0)
        async_close(fd);
    free(message);
    free(echo);
    return NULL;
}

static void *start_connections(void *arg)
{
    (void)arg;
    for (int i = 0; i < run.connections; i++)
        schedule(connection_task, (void *)(intptr_t)i, NULL);
    return NULL;
}

/* Read the echo benchmark's command line and report (chapter 9) */
static int usage(void)
{
    fputs("usage: bench_echo [-p SERVER_PID] [-s BYTES] [-w MICROSECONDS] "
          "HOST PORT CONNECTIONS ROUNDS\n", stderr);
    return 2;
}

static void report_echo(long long wall, long long client_cpu, long long server_cpu)
{
    size_t n = (size_t)run.round_trips;
    sort_times(run.latency, n);
    printf("echo connections=%d rounds=%ld bytes=%zu round_trips=%ld rt_per_s=%.0f "
           "p50_us=%.1f p99_us=%.1f client_cpu_us_per_rt=%.2f", run.connections,
           run.rounds, run.size, run.round_trips, (double)n / (wall / 1e9),
           percentile(run.latency, n, 0.5) / 1e3, percentile(run.latency, n, 0.99) / 1e3,
           client_cpu / 1e3 / (double)n);
    if (server_cpu >= 0)
        printf(" server_cpu_us_per_rt=%.2f", server_cpu / 1e3 / (double)n);
    printf("\n");
}

int main(int argc, char **argv)
{
    long pid = 0, size = 64, port, connections;
    int option;
    while ((option = getopt(argc, argv, "p:s:w:")) != -1) {
        if (option == 'p' && parse_number(optarg, 1, 1L << 30, &pid) == 0)
            continue;
        if (option == 'w' && parse_number(optarg, 0, 10000000, &run.think_us) == 0)
            continue;
        if (option != 's' || parse_number(optarg, 1, 1L << 20, &size) != 0)
            return usage();
    }
    if (argc - optind != 4 || parse_number(argv[optind + 1], 1, 65535, &port) != 0
        || parse_number(argv[optind + 2], 1, 1000, &connections) != 0
        || parse_number(argv[optind + 3], 1, 10000000, &run.rounds) != 0
        || connections * run.rounds > 20000000)
        return usage();
    run.host = argv[optind];
    run.port = (int)port;
    run.connections = (int)connections;
    run.size = (size_t)size;
    run.latency = calloc((size_t)(connections * run.rounds), sizeof *run.latency);
    if (run.latency == NULL)
        return 1;
    long long server_cpu = pid > 0 ? process_cpu_ns((pid_t)pid) : -1;
    long long wall = now_ns(), client_cpu = cpu_ns();
    int status = event_loop(start_connections, NULL);
    wall = now_ns() - wall;
    client_cpu = cpu_ns() - client_cpu;
    if (pid > 0 && server_cpu >= 0)
        server_cpu = process_cpu_ns((pid_t)pid) - server_cpu;
    if (status != 0 || run.failed) {
        fprintf(stderr, "bench_echo: %ld round trips done, then it failed\n",
                run.round_trips);
        return 1;
    }
    report_echo(wall, client_cpu, server_cpu);
    free(run.latency);
    return 0;
}

/* programs/bench_deadline.c, tangled from chapter 16 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "args.h"
#include "loop.h"
#include "measure.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Pass a byte back and forth, each wait with or without a deadline (chapter 16) */
struct pingpong {
    int there[2];               /* from the first task to the second */
    int back[2];                /* and back */
    long rounds;
    bool deadlines;             /* every wait in a scope of its own */
    long failed;
};

static int wait_for_byte(int fd, bool deadline)
{
    struct cancel_scope scope;
    char byte;
    if (deadline && scope_enter(&scope, 3600) != 0)
        return -ENOMEM;
    int status = await_readable(fd);
    if (status == 0 && read(fd, &byte, 1) != 1)
        status = -EIO;
    if (deadline && scope_leave(&scope) != 0)
        status = -ETIMEDOUT;
    return status;
}

static void *answerer(void *arg)
{
    struct pingpong *game = arg;
    for (long i = 0; i < game->rounds; i++) {
        if (wait_for_byte(game->there[0], game->deadlines) != 0 ||
            write(game->back[1], "b", 1) != 1) {
            game->failed++;
            break;
        }
    }
    close(game->back[1]);
    return NULL;
}

static void *opener(void *arg)
{
    struct pingpong *game = arg;
    if (schedule(answerer, game, NULL) != 0) {
        game->failed++;
        return NULL;
    }
    for (long i = 0; i < game->rounds; i++) {
        if (write(game->there[1], "a", 1) != 1 ||
            wait_for_byte(game->back[0], game->deadlines) != 0) {
            game->failed++;
            break;
        }
    }
    close(game->there[1]);
    return NULL;
}
/* Time the waits both ways and print one line (chapter 16) */
static int play(long rounds, bool deadlines, double *ns_per_wait)
{
    struct pingpong game = { .rounds = rounds, .deadlines = deadlines };
    if (pipe(game.there) != 0)
        return -errno;
    if (pipe(game.back) != 0) {
        close(game.there[0]);
        close(game.there[1]);
        return -errno;
    }
    long long start = now_ns();
    int status = event_loop(opener, &game);
    *ns_per_wait = (double)(now_ns() - start) / (2.0 * (double)rounds);
    close(game.there[0]);
    close(game.back[0]);
    return status != 0 ? status : (game.failed != 0 ? -EIO : 0);
}

static double middle_of_three(double a, double b, double c)
{
    if ((a <= b && b <= c) || (c <= b && b <= a))
        return b;
    if ((b <= a && a <= c) || (c <= a && a <= b))
        return a;
    return c;
}

int main(int argc, char **argv)
{
    long rounds;
    double without[3], with[3], warm;
    if (argc != 2 || parse_number(argv[1], 1, 100000000, &rounds) != 0) {
        fputs("usage: bench_deadline ROUNDS\n", stderr);
        return 2;
    }
    int status = play(rounds / 10 + 1, false, &warm);
    for (int i = 0; i < 3 && status == 0; i++) {
        status = play(rounds, false, &without[i]);
        if (status == 0)
            status = play(rounds, true, &with[i]);
    }
    if (status != 0) {
        fprintf(stderr, "bench_deadline: %s\n", strerror(-status));
        return 1;
    }
    printf("deadline rounds=%ld ns_per_wait=%.1f ns_per_wait_with_deadline=%.1f\n",
           rounds, middle_of_three(without[0], without[1], without[2]),
           middle_of_three(with[0], with[1], with[2]));
    return 0;
}

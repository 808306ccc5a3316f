/* programs/cancel_cleanup.c, tangled from chapter 7 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Count the open descriptors (chapter 7) */
static int count_open_fds(void)
{
    int count = 0;
    DIR *directory = opendir("/proc/self/fd");
    if (directory == NULL)
        return -1;
    while (readdir(directory) != NULL)
        count++;
    closedir(directory);
    return count - 3;
}

static void say_how_it_ended(const char *who, long status)
{
    printf("%s: woke with %s, cleans up\n", who,
           status == 0 ? "ok" : strerror((int)-status));
}

/* Hold descriptors while waiting in sleep, recv and accept (chapter 7) */
static void *sleeper(void *arg)
{
    (void)arg;
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
        return NULL;
    say_how_it_ended("sleeper", async_sleep(60));
    close(pair[0]);
    close(pair[1]);
    return NULL;
}

static void *receiver(void *arg)
{
    (void)arg;
    int pair[2];
    char byte;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
        return NULL;
    fd_set_nonblocking(pair[0]);
    say_how_it_ended("receiver", async_recv(pair[0], &byte, 1));
    async_close(pair[0]);
    async_close(pair[1]);
    return NULL;
}

static void *acceptor(void *arg)
{
    (void)arg;
    int server_fd = async_listen("127.0.0.1", 0, 8);
    if (server_fd < 0)
        return NULL;
    say_how_it_ended("acceptor", async_accept(server_fd, NULL));
    async_close(server_fd);
    return NULL;
}

/* Cancel the three and count again (chapter 7) */
static void *main_task(void *arg)
{
    (void)arg;
    int before = count_open_fds();
    struct task *tasks[3] = { NULL, NULL, NULL };
    schedule(sleeper, NULL, &tasks[0]);
    schedule(receiver, NULL, &tasks[1]);
    schedule(acceptor, NULL, &tasks[2]);
    async_sleep(0.05);
    printf("while they wait: %d more fds open\n", count_open_fds() - before);
    for (int i = 0; i < 3; i++)
        cancel(tasks[i]);
    async_sleep(0.05);
    for (int i = 0; i < 3; i++) {
        printf("task %d done: %s\n", i + 1, task_is_done(tasks[i]) ? "yes" : "no");
        task_release(tasks[i]);
    }
    printf("after cancelling: %d more fds open\n", count_open_fds() - before);
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int warm_up = async_listen("127.0.0.1", 0, 1);
    if (warm_up >= 0)
        close(warm_up);
    return event_loop(main_task, NULL) == 0 ? 0 : 1;
}

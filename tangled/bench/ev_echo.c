/* bench/ev_echo.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* Echo what a libev client sends (chapter 9) */
struct ev_client {
    ev_io watcher;              /* first, so that the watcher is the whole struct */
    size_t pending, sent;       /* bytes of buffer to echo, and how many went */
    char buffer[65536];
};

static void drop_client(struct ev_loop *loop, struct ev_client *client)
{
    ev_io_stop(loop, &client->watcher);
    close(client->watcher.fd);
    free(client);
}

static void watch_for(struct ev_loop *loop, struct ev_client *client, int events)
{
    if ((client->watcher.events & (EV_READ | EV_WRITE)) == events)
        return;
    ev_io_stop(loop, &client->watcher);
    ev_io_set(&client->watcher, client->watcher.fd, events);
    ev_io_start(loop, &client->watcher);
}

static void client_ready(struct ev_loop *loop, ev_io *watcher, int events)
{
    struct ev_client *client = (struct ev_client *)watcher;
    (void)events;
    if (client->pending == 0) {
        ssize_t n = recv(watcher->fd, client->buffer, sizeof client->buffer, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            drop_client(loop, client);
            return;
        }
        client->pending = (size_t)n;
        client->sent = 0;
    }
    while (client->sent < client->pending) {
        ssize_t n = send(watcher->fd, client->buffer + client->sent,
                         client->pending - client->sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN)
            break;
        if (n < 0 && errno != EINTR) {
            drop_client(loop, client);
            return;
        }
        if (n > 0)
            client->sent += (size_t)n;
    }
    if (client->sent == client->pending)
        client->pending = 0;
    watch_for(loop, client, client->pending == 0 ? EV_READ : EV_WRITE);
}

/* Accept libev clients and run the loop (chapter 9) */
static void accept_ready(struct ev_loop *loop, ev_io *watcher, int events)
{
    (void)events;
    int fd = accept(watcher->fd, NULL, NULL);
    if (fd < 0)
        return;
    struct ev_client *client = malloc(sizeof *client);
    if (client == NULL || fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
        close(fd);
        free(client);
        return;
    }
    client->pending = client->sent = 0;
    ev_io_init(&client->watcher, client_ready, fd, EV_READ);
    ev_io_start(loop, &client->watcher);
}

static int listen_on(const char *host, int port)
{
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(port) };
    int fd = socket(AF_INET, SOCK_STREAM, 0), on = 1;
    if (fd < 0 || inet_pton(AF_INET, host, &address.sin_addr) != 1
        || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0
        || bind(fd, (struct sockaddr *)&address, sizeof address) != 0
        || listen(fd, 128) != 0 || fcntl(fd, F_SETFL, O_NONBLOCK) != 0)
        return -1;
    return fd;
}

int main(int argc, char **argv)
{
    struct sockaddr_in local;
    socklen_t length = sizeof local;
    ev_io acceptor;
    if (argc != 3) {
        fputs("usage: ev_echo HOST PORT\n", stderr);
        return 2;
    }
    int fd = listen_on(argv[1], atoi(argv[2]));
    if (fd < 0 || getsockname(fd, (struct sockaddr *)&local, &length) != 0) {
        perror("ev_echo");
        return 1;
    }
    printf("listening on %s:%d\n", argv[1], ntohs(local.sin_port));
    fflush(stdout);
    struct ev_loop *loop = EV_DEFAULT;
    ev_io_init(&acceptor, accept_ready, fd, EV_READ);
    ev_io_start(loop, &acceptor);
    ev_run(loop, 0);
    return 0;
}

#ifndef NET_H
#define NET_H

#include <netinet/in.h>
#include <sys/types.h>

struct endpoint {
    char host[INET6_ADDRSTRLEN];
    int port;
};

int async_connect(const char *host, int port);
int async_listen(const char *host, int port, int backlog);
int async_accept(int server_fd, struct endpoint *peer);
ssize_t async_recv(int fd, void *buffer, size_t size);
ssize_t async_send(int fd, const void *data, size_t size);
int async_close(int fd);
int socket_local_endpoint(int fd, struct endpoint *local);

#endif

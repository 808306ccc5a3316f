/* loop/net.c, tangled from chapters 7, 12, 13, 14 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

_Static_assert(ENDPOINT_HOST_SIZE >= INET6_ADDRSTRLEN, "an endpoint holds any address");

/* Keep a spare descriptor for when the process runs out (chapter 7) */
static _Thread_local int spare_fd = -1;

/* Prepare every socket: non-blocking, closed on exec (chapter 7) */
static bool would_block(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK;
}

static int fd_set_close_on_exec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags == -1 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) == -1)
        return -errno;
    return 0;
}

static int socket_prepare(int fd)
{
    int status = fd_set_nonblocking(fd);
    if (status == 0)
        status = fd_set_close_on_exec(fd);
    return status;
}

/* Turn socket addresses into printable endpoints (chapter 7) */
static int endpoint_from_address(const struct sockaddr *address,
                                 struct endpoint *endpoint)
{
    const void *ip;
    if (address->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)address;
        ip = &v4->sin_addr;
        endpoint->port = ntohs(v4->sin_port);
    } else if (address->sa_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)address;
        ip = &v6->sin6_addr;
        endpoint->port = ntohs(v6->sin6_port);
    } else {
        return -EAFNOSUPPORT;
    }
    if (!inet_ntop(address->sa_family, ip, endpoint->host, sizeof endpoint->host))
        return -errno;
    return 0;
}

int socket_local_endpoint(int fd, struct endpoint *local)
{
    struct sockaddr_storage address;
    socklen_t length = sizeof address;
    if (local == NULL)
        return -EINVAL;
    if (getsockname(fd, (struct sockaddr *)&address, &length) != 0)
        return -errno;
    return endpoint_from_address((struct sockaddr *)&address, local);
}

/* Look up a host and port (chapter 7) */
static int resolve(const char *host, int port, int flags, struct addrinfo **results)
{
    char service[16];
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                              .ai_flags = flags | AI_NUMERICSERV };
    if (port < 0 || port > 65535)
        return -EINVAL;
    snprintf(service, sizeof service, "%d", port);
    int error = getaddrinfo(host, service, &hints, results);
    if (error == EAI_SYSTEM)
        return -errno;
    return error == 0 ? 0 : -EHOSTUNREACH;
}

/* Connect one address without blocking (chapter 12) */
static int connect_one(const struct addrinfo *address)
{
    int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
    if (fd == -1)
        return -errno;
    int status = socket_prepare(fd);
    if (status == 0 && connect(fd, address->ai_addr, address->ai_addrlen) != 0) {
        status = errno == EINPROGRESS ? await_writable(fd) : -errno;
        if (status == 0) {
            int error = 0;
            socklen_t length = sizeof error;
            if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
                error = errno;
            status = -error;
        }
    }
    if (status != 0) {
        loop_close_fd(loop_current(), fd);
        return status;
    }
    loop_adopt_fd(loop_current(), fd);
    return fd;
}
/* Try each address until one connects (chapter 7) */
int async_connect(const char *host, int port)
{
    struct addrinfo *results;
    if (task_current() == NULL)
        return -EPERM;
    if (host == NULL)
        return -EINVAL;
    int status = resolve(host, port, 0, &results);
    if (status != 0)
        return status;
    for (struct addrinfo *address = results; address; address = address->ai_next) {
        status = connect_one(address);
        if (status >= 0 || status == -ECANCELED)
            break;
    }
    freeaddrinfo(results);
    return status;
}

/* Open one listening socket (chapter 14) */
static int listen_one(const struct addrinfo *address, int backlog, bool shared)
{
    int one = 1;
    int fd = socket(address->ai_family, address->ai_socktype, address->ai_protocol);
    if (fd == -1)
        return -errno;
    int status = socket_prepare(fd);
    if (status == 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
                        || (shared && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT,
                                                 &one, sizeof one) != 0)
                        || bind(fd, address->ai_addr, address->ai_addrlen) != 0
                        || listen(fd, backlog) != 0))
        status = -errno;
    if (status != 0) {
        close(fd);
        return status;
    }
    return fd;
}
/* Listen, and return at once (chapter 14) */
static int listen_on(const char *host, int port, int backlog, bool shared)
{
    struct addrinfo *results;
    if (backlog < 0)
        return -EINVAL;
    if (spare_fd == -1)
        spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int status = resolve(host, port, AI_PASSIVE, &results);
    if (status != 0)
        return status;
    for (struct addrinfo *address = results; address; address = address->ai_next) {
        status = listen_one(address, backlog, shared);
        if (status >= 0)
            break;
    }
    freeaddrinfo(results);
    return status;
}

int async_listen(const char *host, int port, int backlog)
{
    return listen_on(host, port, backlog, false);
}

int async_listen_shared(const char *host, int port, int backlog)
{
    return listen_on(host, port, backlog, true);
}
/* Refuse one connection with the spare descriptor (chapter 7) */
/* Returns 0 if it took a connection and closed it, else the errno of accept
   (EAGAIN: nothing was queued). Linux says EMFILE before it looks at the queue,
   so only this accept, made with the spare closed, tells whether one was waiting. */
static int refuse_one_connection(int server_fd)
{
    if (spare_fd == -1)
        return EMFILE;
    close(spare_fd);
    int fd = accept(server_fd, NULL, NULL);
    int error = fd == -1 ? errno : 0;
    if (fd != -1)
        close(fd);
    spare_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    return error;
}

/* Finish a connection that was accepted (chapter 14) */
static int finish_accept(int fd, const struct sockaddr_storage *address,
                         struct endpoint *peer)
{
    int status = socket_prepare(fd);
    if (status == 0 && peer != NULL)
        status = endpoint_from_address((const struct sockaddr *)address, peer);
    if (status == 0 && !loop_can_watch_fd(loop_current(), fd))
        status = -EOVERFLOW;
    if (status != 0) {
        close(fd);
        return status;
    }
    loop_adopt_fd(loop_current(), fd);
    return fd;
}
/* Accept a connection, even when out of descriptors (chapter 14) */
/* The errors accept(2) says are a queued connection's, not the listening
   socket's: "treat them like EAGAIN by retrying". */
static bool accept_is_worth_retrying(int error)
{
    switch (error) {
    case ECONNABORTED: case EINTR: case EPROTO: case ENETDOWN: case ENOPROTOOPT:
    case EHOSTUNREACH: case EOPNOTSUPP: case ENETUNREACH:
#if defined(ENONET)
    case ENONET:
#endif
#if defined(EHOSTDOWN)
    case EHOSTDOWN:
#endif
        return true;
    default:
        return false;
    }
}

static int accept_one(int server_fd, struct sockaddr_storage *address)
{
    if (loop_does_operations()) {
        struct poller_operation operation = { .kind = POLLER_ACCEPT, .fd = server_fd,
                                              .buffer = address, .size = sizeof *address };
        return (int)await_operation(&operation);
    }
    socklen_t length = sizeof *address;
    int fd = accept(server_fd, (struct sockaddr *)address, &length);
    return fd >= 0 ? fd : -errno;
}

int async_accept(int server_fd, struct endpoint *peer)
{
    if (task_current() == NULL)
        return -EPERM;
    for (;;) {
        struct sockaddr_storage address;
        int fd = accept_one(server_fd, &address);
        if (fd >= 0)
            return finish_accept(fd, &address, peer);
        int error = -fd;
        if (error == EMFILE || error == ENFILE)
            error = refuse_one_connection(server_fd);
        if (error == 0 || accept_is_worth_retrying(error))
            continue;
        if (!would_block(error))
            return -error;
        int status = await_readable(server_fd);
        if (status != 0)
            return status;
    }
}
/* Receive what has arrived (chapter 13) */
static ssize_t recv_when_ready(int fd, void *buffer, size_t size)
{
    struct loop *loop = loop_current();
    if (loop_fd_drained(loop, fd)) {
        int status = await_readable(fd);
        if (status != 0)
            return status;
    }
    for (;;) {
        ssize_t received = recv(fd, buffer, size, 0);
        if (received >= 0) {
            loop_note_fd_drained(loop, fd, received > 0 && (size_t)received < size);
            return received;
        }
        if (errno == EINTR)
            continue;
        if (!would_block(errno))
            return -errno;
        int status = await_readable(fd);
        if (status != 0)
            return status;
    }
}

static ssize_t recv_by_completion(int fd, void *buffer, size_t size)
{
    struct poller_operation operation = { .kind = POLLER_RECV, .fd = fd,
                                          .buffer = buffer, .size = size };
    return await_operation(&operation);
}

ssize_t async_recv(int fd, void *buffer, size_t size)
{
    if (task_current() == NULL)
        return -EPERM;
    if ((buffer == NULL && size > 0) || size > SSIZE_MAX)
        return -EINVAL;
    if (loop_does_operations())
        return recv_by_completion(fd, buffer, size);
    return recv_when_ready(fd, buffer, size);
}
/* Send every byte (chapter 13) */
static ssize_t send_when_ready(int fd, const char *next, size_t left)
{
    while (left > 0) {
        ssize_t sent = send(fd, next, left, MSG_NOSIGNAL);
        if (sent >= 0) {
            next += sent;
            left -= (size_t)sent;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (!would_block(errno))
            return -errno;
        int status = await_writable(fd);
        if (status != 0)
            return status;
    }
    return 0;
}

static ssize_t send_by_completion(int fd, const char *next, size_t left)
{
    while (left > 0) {
        struct poller_operation operation = { .kind = POLLER_SEND, .fd = fd,
                                              .buffer = (char *)next, .size = left };
        ssize_t sent = await_operation(&operation);
        if (sent < 0)
            return sent;
        next += sent;
        left -= (size_t)sent;
    }
    return 0;
}

ssize_t async_send(int fd, const void *data, size_t size)
{
    if (task_current() == NULL)
        return -EPERM;
    if ((data == NULL && size > 0) || size > SSIZE_MAX)
        return -EINVAL;
    ssize_t status = loop_does_operations() ? send_by_completion(fd, data, size)
                                              : send_when_ready(fd, data, size);
    return status < 0 ? status : (ssize_t)size;
}
/* Close a socket after waking its waiters (chapter 12) */
int async_close(int fd)
{
    if (task_current() == NULL)
        return -EPERM;
    if (fd < 0)
        return -EBADF;
    return loop_close_fd(loop_current(), fd);
}

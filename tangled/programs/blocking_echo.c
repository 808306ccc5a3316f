/* programs/blocking_echo.c, tangled from chapter 1 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Open a listening socket (chapter 1) */
static int listen_on(const char *host, int port)
{
    struct sockaddr_in address = { .sin_family = AF_INET,
                                   .sin_port = htons((uint16_t)port) };
    int one = 1;
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "blocking_echo: %s is not an IPv4 address\n", host);
        return -1;
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd == -1
        || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0
        || bind(fd, (struct sockaddr *)&address, sizeof address) != 0
        || listen(fd, 16) != 0) {
        perror("blocking_echo");
        if (fd != -1)
            close(fd);
        return -1;
    }
    return fd;
}

/* Find out which port we got (chapter 1) */
static int port_of(int fd)
{
    struct sockaddr_in address;
    socklen_t length = sizeof address;
    if (getsockname(fd, (struct sockaddr *)&address, &length) != 0)
        return -1;
    return ntohs(address.sin_port);
}

/* Send every byte, however many calls it takes (chapter 1) */
static int send_all(int fd, const char *data, size_t size)
{
    while (size > 0) {
        ssize_t sent = send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0)
            return -1;
        data += sent;
        size -= (size_t)sent;
    }
    return 0;
}

/* Echo one client until it hangs up (chapter 1) */
static void serve_one_client(int client)
{
    char buffer[1024];
    ssize_t received;
    while ((received = recv(client, buffer, sizeof buffer, 0)) != 0) {
        if (received < 0 && errno == EINTR)
            continue;
        if (received < 0 || send_all(client, buffer, (size_t)received) != 0)
            break;
    }
}

/* Accept the next client and serve it (chapter 1) */
static int serve_next_client(int server)
{
    struct sockaddr_in peer;
    socklen_t length = sizeof peer;
    int client = accept(server, (struct sockaddr *)&peer, &length);
    if (client == -1)
        return errno == EINTR || errno == ECONNABORTED ? 0 : -1;
    printf("New connection from %s:%d\n",
           inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
    serve_one_client(client);
    close(client);
    printf("Connection closed\n");
    return 0;
}

/* Read the port number from the command line (chapter 1) */
static int parse_port(const char *text)
{
    char *end;
    errno = 0;
    long port = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0'
        || port < 0 || port > 65535) {
        fprintf(stderr, "blocking_echo: %s is not a port number\n", text);
        return -1;
    }
    return (int)port;
}

/* Accept clients one at a time, forever (chapter 1) */
int main(int argc, char **argv)
{
    if (argc > 3) {
        fprintf(stderr, "usage: blocking_echo [HOST [PORT]]\n");
        return 2;
    }
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    int port = argc > 2 ? parse_port(argv[2]) : 7777;
    int server = port < 0 ? -1 : listen_on(host, port);
    if (server == -1)
        return 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("Server listening on %s:%d\n", host, port_of(server));
    for (;;) {
        if (serve_next_client(server) != 0) {
            perror("blocking_echo: accept");
            return 1;
        }
    }
}


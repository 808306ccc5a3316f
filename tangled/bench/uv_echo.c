/* bench/uv_echo.c, tangled from chapter 9 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

/* Echo what a libuv client sends (chapter 9) */
struct uv_client {
    uv_tcp_t handle;            /* first, so that the handle is the whole struct */
    char buffer[65536];
};

struct uv_echo_write {
    uv_write_t request;         /* first, so that the request is the whole struct */
    uv_buf_t buffer;
    char data[];
};

static void free_client(uv_handle_t *client)
{
    free(client);
}

static void give_buffer(uv_handle_t *handle, size_t suggested, uv_buf_t *buffer)
{
    struct uv_client *client = (struct uv_client *)handle;
    (void)suggested;
    *buffer = uv_buf_init(client->buffer, sizeof client->buffer);
}

static void written(uv_write_t *request, int status)
{
    (void)status;
    free(request);
}

static int write_rest(uv_stream_t *client, const char *data, size_t size)
{
    struct uv_echo_write *write = malloc(sizeof *write + size);
    if (write == NULL)
        return UV_ENOMEM;
    memcpy(write->data, data, size);
    write->buffer = uv_buf_init(write->data, (unsigned)size);
    int status = uv_write(&write->request, client, &write->buffer, 1, written);
    if (status != 0)
        free(write);
    return status;
}

static void echo_read(uv_stream_t *client, ssize_t count, const uv_buf_t *buffer)
{
    if (count <= 0) {
        if (count < 0)
            uv_close((uv_handle_t *)client, free_client);
        return;
    }
    uv_buf_t echo = uv_buf_init(buffer->base, (unsigned)count);
    int done = uv_try_write(client, &echo, 1);
    if (done == UV_EAGAIN)
        done = 0;
    if (done < 0 || (done < count && write_rest(client, buffer->base + done,
                                                (size_t)(count - done)) != 0))
        uv_close((uv_handle_t *)client, free_client);
}

/* Accept libuv clients and run the loop (chapter 9) */
static void accept_client(uv_stream_t *server, int status)
{
    struct uv_client *client = status == 0 ? malloc(sizeof *client) : NULL;
    if (client == NULL)
        return;
    uv_tcp_init(server->loop, &client->handle);
    if (uv_accept(server, (uv_stream_t *)client) == 0)
        uv_read_start((uv_stream_t *)client, give_buffer, echo_read);
    else
        uv_close((uv_handle_t *)client, free_client);
}

int main(int argc, char **argv)
{
    struct sockaddr_in address;
    uv_tcp_t server;
    if (argc != 3 || uv_ip4_addr(argv[1], atoi(argv[2]), &address) != 0) {
        fputs("usage: uv_echo HOST PORT\n", stderr);
        return 2;
    }
    uv_loop_t *loop = uv_default_loop();
    uv_tcp_init(loop, &server);
    int status = uv_tcp_bind(&server, (const struct sockaddr *)&address, 0);
    if (status == 0)
        status = uv_listen((uv_stream_t *)&server, 128, accept_client);
    if (status != 0) {
        fprintf(stderr, "uv_echo: %s\n", uv_strerror(status));
        return 1;
    }
    int length = sizeof address;
    uv_tcp_getsockname(&server, (struct sockaddr *)&address, &length);
    printf("listening on %s:%d\n", argv[1], ntohs(address.sin_port));
    fflush(stdout);
    return uv_run(loop, UV_RUN_DEFAULT);
}

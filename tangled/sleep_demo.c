#include "loop.h"

#include <stdio.h>

struct message {
    double seconds;
    const char *text;
};

static void *sleep_print(void *arg)
{
    struct message *message = arg;
    async_sleep(message->seconds);
    printf("%s\n", message->text);
    return NULL;
}

static void *demo_sleep(void *arg)
{
    static struct message one = { 1, "One" };
    static struct message two = { 2, "Two" };
    (void)arg;

    printf("\n--- Sleep Demo ---\n");
    printf("Start\n");
    schedule(sleep_print, &one);
    schedule(sleep_print, &two);
    async_sleep(3);
    printf("End sleep demo\n");
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(demo_sleep, NULL) == 0 ? 0 : 1;
}

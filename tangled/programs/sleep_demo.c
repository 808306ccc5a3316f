/* programs/sleep_demo.c, tangled from chapter 4 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <stdio.h>

/* Sleep, then print a message (chapter 4) */
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

/* Run the seed's sleep demo (chapter 4) */
static void *demo_sleep(void *arg)
{
    static struct message one = { 1, "One" };
    static struct message two = { 2, "Two" };
    (void)arg;

    printf("\n--- Sleep Demo ---\n");
    printf("Start\n");
    schedule(sleep_print, &one, NULL);
    schedule(sleep_print, &two, NULL);
    async_sleep(3);
    printf("End sleep demo\n");
    return NULL;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    return event_loop(demo_sleep, NULL) == 0 ? 0 : 1;
}

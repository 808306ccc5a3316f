/* programs/pollers.c, tangled from chapter 12 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "loop.h"

#include <stdio.h>
#include <string.h>

static void *say_which(void *arg)
{
    (void)arg;
    printf("%s\n", event_loop_poller());
    return NULL;
}

int main(void)
{
    int status = event_loop(say_which, NULL);
    if (status != 0)
        fprintf(stderr, "pollers: event_loop: %s\n", strerror(-status));
    return status == 0 ? 0 : 1;
}

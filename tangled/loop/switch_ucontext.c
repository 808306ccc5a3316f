/* loop/switch_ucontext.c, tangled from chapter 10 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "switch.h"

#if defined(SWITCH_UCONTEXT)
void switch_prepare(struct switch_context *context, void *stack, size_t size,
                    switch_entry_fn *entry)
{
    getcontext(&context->ucontext);
    context->ucontext.uc_stack.ss_sp = stack;
    context->ucontext.uc_stack.ss_size = size;
    context->ucontext.uc_link = NULL;
    makecontext(&context->ucontext, entry, 0);
}

void switch_to(struct switch_context *from, const struct switch_context *to)
{
    swapcontext(&from->ucontext, &to->ucontext);
}

const char *switch_name(void)
{
    return "ucontext";
}
#endif

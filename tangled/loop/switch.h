/* loop/switch.h, tangled from chapter 10 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#ifndef SWITCH_H
#define SWITCH_H

#include <stddef.h>

/* Choose the switch this machine builds (chapter 10) */
#if !defined(SWITCH_UCONTEXT) && !defined(__x86_64__) && !defined(__aarch64__)
#define SWITCH_UCONTEXT 1
#endif

/* Declare a saved context (chapter 10) */
#if defined(SWITCH_UCONTEXT)
#include <ucontext.h>
struct switch_context {
    ucontext_t ucontext;
};
#else
struct switch_context {
    void *stack_pointer;     /* where the saved registers are, on the stack it left */
};
#endif

typedef void switch_entry_fn(void);

void switch_prepare(struct switch_context *context, void *stack, size_t size,
                    switch_entry_fn *entry);
void switch_to(struct switch_context *from, const struct switch_context *to);
const char *switch_name(void);

#endif

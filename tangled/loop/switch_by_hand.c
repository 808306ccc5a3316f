/* loop/switch_by_hand.c, tangled from chapter 10 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#include "switch.h"

#if !defined(SWITCH_UCONTEXT)
#include <stdint.h>
#include <string.h>

void switch_start(void);

/* Lay out the first frame of a stack (chapter 10) */
#if defined(__x86_64__)
struct switch_frame {                   /* lowest address first, as switch_to pops */
    uint32_t mxcsr;
    uint16_t x87_control;
    uint16_t unused;
    void *r15, *r14, *r13;
    switch_entry_fn *r12;               /* switch_start calls through it */
    void *rbx, *rbp;
    void (*return_address)(void);       /* switch_to's ret goes to switch_start */
};
_Static_assert(sizeof(struct switch_frame) == 64, "switch_to pushes 64 bytes");

static void switch_frame_start(struct switch_frame *frame, switch_entry_fn *entry)
{
    frame->mxcsr = 0x1f80;              /* round to nearest, all exceptions masked */
    frame->x87_control = 0x037f;        /* the same, and 64-bit precision */
    frame->r12 = entry;
    frame->return_address = switch_start;
}

const char *switch_name(void)
{
    return "x86-64";
}
#elif defined(__aarch64__)
struct switch_frame {                   /* lowest address first, as switch_to loads */
    switch_entry_fn *x19;               /* switch_start calls through it */
    void *x20_to_x28[9];
    void *x29;
    void (*x30)(void);                  /* switch_to's ret goes to switch_start */
    double d8_to_d15[8];
    uint64_t fpcr;
    uint64_t unused;
};
_Static_assert(sizeof(struct switch_frame) == 176, "switch_to saves 176 bytes");

static void switch_frame_start(struct switch_frame *frame, switch_entry_fn *entry)
{
    frame->fpcr = 0;                    /* round to nearest, no flush to zero */
    frame->x19 = entry;
    frame->x30 = switch_start;
}

const char *switch_name(void)
{
    return "aarch64";
}
#endif

/* Prepare a stack to start in its entry function (chapter 10) */
void switch_prepare(struct switch_context *context, void *stack, size_t size,
                    switch_entry_fn *entry)
{
    uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
    struct switch_frame *frame = (struct switch_frame *)top - 1;
    memset(frame, 0, sizeof *frame);
    switch_frame_start(frame, entry);
    context->stack_pointer = frame;
}
#endif

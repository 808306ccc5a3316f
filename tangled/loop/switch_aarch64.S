/* loop/switch_aarch64.S, tangled from chapter 10 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#if defined(__aarch64__) && !defined(SWITCH_UCONTEXT)
        .text
/* Switch stacks on AArch64 (chapter 10) */
        .globl  switch_to
        .hidden switch_to
        .type   switch_to, %function
        .p2align 2
switch_to:
        .cfi_startproc
        sub     sp, sp, #176
        .cfi_adjust_cfa_offset 176
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]     /* frame pointer and return address */
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mrs     x9, fpcr                /* floating-point modes */
        str     x9, [sp, #160]
        mov     x9, sp
        str     x9, [x0]                /* from->stack_pointer = sp */
        ldr     x9, [x1]
        mov     sp, x9                  /* sp = to->stack_pointer */
        ldr     x9, [sp, #160]
        msr     fpcr, x9
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #176
        .cfi_adjust_cfa_offset -176
        ret                             /* to x30: the other side's caller */
        .cfi_endproc
        .size   switch_to, . - switch_to

/* Start a new stack on AArch64 (chapter 10) */
        .globl  switch_start
        .hidden switch_start
        .type   switch_start, %function
switch_start:
        .cfi_startproc
        .cfi_undefined x30              /* the first frame: nothing calls it */
        blr     x19                     /* the entry function; it never returns */
        brk     #0
        .cfi_endproc
        .size   switch_start, . - switch_start
#endif
        .section .note.GNU-stack, "", %progbits

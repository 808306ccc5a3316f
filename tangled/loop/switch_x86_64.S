/* loop/switch_x86_64.S, tangled from chapter 10 of "Async from Scratch in C".
   Edit the chapters, not this file: `make tangled` writes it again. */

#if defined(__x86_64__) && !defined(SWITCH_UCONTEXT)
        .text
/* Switch stacks on x86-64 (chapter 10) */
        .globl  switch_to
        .hidden switch_to
        .type   switch_to, @function
        .p2align 4
switch_to:
        .cfi_startproc
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        subq    $8, %rsp
        .cfi_adjust_cfa_offset 8
        stmxcsr (%rsp)                  /* SSE control and status */
        fnstcw  4(%rsp)                 /* x87 control word */
        movq    %rsp, (%rdi)            /* from->stack_pointer = rsp */
        movq    (%rsi), %rsp            /* rsp = to->stack_pointer */
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        .cfi_adjust_cfa_offset -8
        popq    %r15
        .cfi_adjust_cfa_offset -8
        popq    %r14
        .cfi_adjust_cfa_offset -8
        popq    %r13
        .cfi_adjust_cfa_offset -8
        popq    %r12
        .cfi_adjust_cfa_offset -8
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        ret
        .cfi_endproc
        .size   switch_to, . - switch_to

/* Start a new stack on x86-64 (chapter 10) */
        .globl  switch_start
        .hidden switch_start
        .type   switch_start, @function
switch_start:
        .cfi_startproc
        .cfi_undefined rip              /* the first frame: nothing calls it */
        callq   *%r12                   /* the entry function; it never returns */
        ud2
        .cfi_endproc
        .size   switch_start, . - switch_start
#endif
        .section .note.GNU-stack, "", @progbits

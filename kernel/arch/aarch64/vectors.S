/*
 * Exception vectors. While a PD runs, SP_EL1 points at the top of that PD's
 * struct user_context, so entry saves registers straight into it and then
 * moves to the per-core kernel stack. The kernel itself runs with IRQs
 * masked and never takes exceptions except through a bug.
 */
#include <arch/sysregs.h>

    .macro  vector target
    .balign 0x80
    b       \target
    .endm

    .section .text
    .balign 2048
    .global exception_vectors
exception_vectors:
    vector  kernel_trap      /* EL1t: unused */
    vector  kernel_trap
    vector  kernel_trap
    vector  kernel_trap
    vector  kernel_trap      /* EL1h: a kernel bug */
    vector  kernel_trap
    vector  kernel_trap
    vector  kernel_trap
    vector  el0_sync         /* EL0 AArch64 */
    vector  el0_irq
    vector  el0_irq          /* FIQ: not routed on QEMU virt; treat as IRQ poll */
    vector  el0_serror
    vector  el0_sync         /* EL0 AArch32: cannot run; decoded as a fault */
    vector  el0_irq
    vector  el0_irq
    vector  el0_serror

    /* Save what every entry must: callee-saved registers and EL0 state.
     * Leaves x0..x18 untouched; x19 = ctx afterwards. */
    .macro  save_callee_saved
    sub     sp, sp, #CTX_SIZE
    stp     x19, x20, [sp, #8 * 19]
    stp     x21, x22, [sp, #8 * 21]
    stp     x23, x24, [sp, #8 * 23]
    stp     x25, x26, [sp, #8 * 25]
    stp     x27, x28, [sp, #8 * 27]
    stp     x29, x30, [sp, #8 * 29]
    mrs     x20, sp_el0
    mrs     x21, elr_el1
    mrs     x22, spsr_el1
    mrs     x23, tpidr_el0
    str     x20, [sp, #CTX_SP]
    stp     x21, x22, [sp, #CTX_PC]
    str     x23, [sp, #CTX_TPIDR]
    mov     x19, sp
    .endm

    .macro  save_caller_saved
    stp     x0, x1, [sp, #16 * 0]
    stp     x2, x3, [sp, #16 * 1]
    stp     x4, x5, [sp, #16 * 2]
    stp     x6, x7, [sp, #16 * 3]
    stp     x8, x9, [sp, #16 * 4]
    stp     x10, x11, [sp, #16 * 5]
    stp     x12, x13, [sp, #16 * 6]
    stp     x14, x15, [sp, #16 * 7]
    stp     x16, x17, [sp, #16 * 8]
    str     x18, [sp, #16 * 9]
    .endm

    /* Move to the kernel stack; x1 = core, x0 = ctx. */
    .macro  enter_kernel_stack
    mrs     x1, tpidr_el1
    ldr     x2, [x1, #CORE_KSTACK_TOP]
    mov     sp, x2
    mov     x0, x19
    .endm

/*
 * A system call needs no caller-saved registers: the ABI declares x0..x18
 * clobbered. Arguments go straight to
 * kernel_syscall(arg0, arg1, arg2, arg3, number, core), or to
 * kernel_syscall_locked if the core shares the kernel with others.
 */
el0_sync:
    save_callee_saved
    mrs     x24, esr_el1
    lsr     x25, x24, #26
    cmp     x25, #EC_SVC64
    b.ne    el0_trap
    mov     x4, x8
    mrs     x5, tpidr_el1
    ldr     x6, [x5, #CORE_KSTACK_TOP]
    mov     sp, x6
    ldrb    w7, [x5, #CORE_SHARED]
    cbnz    w7, 1f
    bl      kernel_syscall
    b       return_to_user
1:  bl      kernel_syscall_locked   /* PDs on other cores: under the kernel lock */
    b       return_to_user

el0_trap:
    save_caller_saved
    enter_kernel_stack
    mov     x2, x24
    bl      handle_el0_sync
    b       return_to_user

el0_irq:
    save_callee_saved
    save_caller_saved
    enter_kernel_stack
    bl      handle_el0_irq
    b       return_to_user

el0_serror:
    save_callee_saved
    save_caller_saved
    enter_kernel_stack
    mrs     x2, esr_el1
    bl      handle_el0_serror
    b       return_to_user

/* return_to_user(struct user_context *ctx): resume the PD owning ctx. */
    .global return_to_user
return_to_user:
    mov     sp, x0
    ldp     x10, x11, [sp, #CTX_PC]
    msr     elr_el1, x10
    msr     spsr_el1, x11
    ldp     x30, x9, [sp, #16 * 15]
    msr     sp_el0, x9
    ldr     x12, [sp, #CTX_TPIDR]
    msr     tpidr_el0, x12
    ldp     x2, x3, [sp, #16 * 1]
    ldp     x4, x5, [sp, #16 * 2]
    ldp     x6, x7, [sp, #16 * 3]
    ldp     x8, x9, [sp, #16 * 4]
    ldp     x10, x11, [sp, #16 * 5]
    ldp     x12, x13, [sp, #16 * 6]
    ldp     x14, x15, [sp, #16 * 7]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #16 * 9]
    ldp     x20, x21, [sp, #16 * 10]
    ldp     x22, x23, [sp, #16 * 11]
    ldp     x24, x25, [sp, #16 * 12]
    ldp     x26, x27, [sp, #16 * 13]
    ldp     x28, x29, [sp, #16 * 14]
    ldp     x0, x1, [sp, #16 * 0]
    add     sp, sp, #CTX_SIZE
    eret

kernel_trap:
    mrs     x0, esr_el1
    mrs     x1, elr_el1
    mrs     x2, far_el1
    bl      kernel_panic_trap
1:  wfe
    b       1b

/* Coroutines for PDs (co.h): the AArch64 context switch. */
#include "co.h"

/* saved[]: x19..x28 at 0..72, x29 and x30 at 80, sp at 96, d8..d15 at 104. */
__asm__(".text\n"
        ".global co_switch\n"
        ".type co_switch, %function\n"
        "co_switch:\n"
        "    stp x19, x20, [x0, #0]\n"
        "    stp x21, x22, [x0, #16]\n"
        "    stp x23, x24, [x0, #32]\n"
        "    stp x25, x26, [x0, #48]\n"
        "    stp x27, x28, [x0, #64]\n"
        "    stp x29, x30, [x0, #80]\n"
        "    mov x9, sp\n"
        "    str x9, [x0, #96]\n"
        "    stp d8, d9, [x0, #104]\n"
        "    stp d10, d11, [x0, #120]\n"
        "    stp d12, d13, [x0, #136]\n"
        "    stp d14, d15, [x0, #152]\n"
        "    ldp x19, x20, [x1, #0]\n"
        "    ldp x21, x22, [x1, #16]\n"
        "    ldp x23, x24, [x1, #32]\n"
        "    ldp x25, x26, [x1, #48]\n"
        "    ldp x27, x28, [x1, #64]\n"
        "    ldp x29, x30, [x1, #80]\n"
        "    ldr x9, [x1, #96]\n"
        "    mov sp, x9\n"
        "    ldp d8, d9, [x1, #104]\n"
        "    ldp d10, d11, [x1, #120]\n"
        "    ldp d12, d13, [x1, #136]\n"
        "    ldp d14, d15, [x1, #152]\n"
        "    ret\n"
        ".size co_switch, . - co_switch\n"
        /* A new coroutine's first return lands here: fn (x19) of arg (x20). */
        "co_entry:\n"
        "    mov x0, x20\n"
        "    blr x19\n"
        "    brk #0\n"
        ".global co_entry_address\n"
        "co_entry_address: .quad co_entry\n");

extern const uint64_t co_entry_address;

void co_init(struct co *co, void *stack, size_t size, void (*fn)(void *), void *arg)
{
    for (unsigned i = 0; i < 21; i++)
        co->saved[i] = 0;
    co->saved[0] = (uint64_t)(uintptr_t)fn;
    co->saved[1] = (uint64_t)(uintptr_t)arg;
    co->saved[11] = co_entry_address;                    /* x30: where the first switch returns */
    co->saved[12] = ((uint64_t)(uintptr_t)stack + size) & ~15ull; /* sp */
    co->stack_end = (uint64_t *)stack;
    *co->stack_end = CO_STACK_CANARY;
}

int co_stack_intact(const struct co *co)
{
    return !co->stack_end || *co->stack_end == CO_STACK_CANARY;
}

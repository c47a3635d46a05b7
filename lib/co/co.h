/*
 * Coroutines for PDs: a PD is single-threaded and event-driven, but code
 * that waits in the middle of its work (a file-system operation waiting for
 * the disk, a program blocked in read()) reads best as straight-line code.
 * A coroutine runs on a stack of its own; co_switch saves the registers the
 * AArch64 procedure-call standard says a callee keeps (x19-x30, sp, d8-d15)
 * and resumes another coroutine where it last switched away. The PD's own
 * handler context is a struct co too: the first co_switch from it fills it.
 * No scheduler here: the PD decides who runs, from its event handlers.
 */
#ifndef PRIDE_CO_H
#define PRIDE_CO_H

#include <stddef.h>
#include <stdint.h>

#define CO_STACK_CANARY 0x5052494445535441ull /* written at a stack's far end */

struct co {
    uint64_t saved[21]; /* x19..x30, sp, d8..d15 */
    uint64_t *stack_end; /* the canary's place: the lowest word of the stack */
};

/* co will run fn(arg) on stack (size bytes, 16-aligned) when first
 * switched to. fn must never return. */
void co_init(struct co *co, void *stack, size_t size, void (*fn)(void *), void *arg);
/* Saves the running context in from and resumes to. Returns when some
 * coroutine switches back to from. */
void co_switch(struct co *from, struct co *to);
/* Is co's stack canary intact? (false: it overflowed its stack) */
int co_stack_intact(const struct co *co);

#endif

/* Registers of a PD saved on kernel entry; layout shared with vectors.S. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <stdint.h>
#include <arch/sysregs.h>

struct user_context {
    uint64_t x[31];
    uint64_t sp;
    uint64_t pc;
    uint64_t spsr;
    uint64_t tpidr;
    uint64_t pad; /* keeps the size a multiple of 16 for the stack pointer */
};

_Static_assert(__builtin_offsetof(struct user_context, sp) == CTX_SP, "ctx sp");
_Static_assert(__builtin_offsetof(struct user_context, pc) == CTX_PC, "ctx pc");
_Static_assert(__builtin_offsetof(struct user_context, spsr) == CTX_SPSR, "ctx spsr");
_Static_assert(__builtin_offsetof(struct user_context, tpidr) == CTX_TPIDR, "ctx tpidr");
_Static_assert(sizeof(struct user_context) == CTX_SIZE, "ctx size");

/* FP/SIMD state, switched lazily: only when another PD touches FP. */
struct fp_context {
    __uint128_t q[32];
    uint64_t fpsr;
    uint64_t fpcr;
};

struct pd;

/* What the architecture keeps per PD. */
struct arch_pd {
    struct fp_context fp;
    uint64_t ttbr;          /* address-space root, ASID included */
    _Bool owns_vtimer;      /* has the virtual timer's IRQ: may program it */
};

/* What the architecture keeps per core. */
struct arch_core {
    struct pd *fp_owner;    /* PD whose FP/SIMD state is in the registers */
    _Bool fp_on;            /* FP/SIMD access currently enabled */
    _Bool vtimer_on;        /* EL0 may program the virtual timer */
};

#endif

/*
 * Small helpers for examples, tests and benchmarks: numbers on the debug
 * console, and the generic timer's virtual counter, which every PD may read.
 */
#ifndef PRIDE_DEBUG_H
#define PRIDE_DEBUG_H

#include <stdint.h>

void pride_dbg_put_dec(uint64_t value);
void pride_dbg_put_hex(uint64_t value); /* 0x and 16 digits */

static inline uint64_t pride_counter_now(void)
{
    uint64_t ticks;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(ticks)::"memory");
    return ticks;
}

static inline uint64_t pride_counter_hz(void)
{
    uint64_t hz;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
}

#endif

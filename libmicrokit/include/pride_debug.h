/*
 * Small helpers for examples, tests and benchmarks: numbers on the debug
 * console, the generic timer's virtual counter, which every PD may read,
 * and the instruction counters, which only the benchmark kernel opens to
 * PDs (elsewhere reading them faults the PD).
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

/* Instructions so far, EL0 and EL1, from the PMU cycle counter, which QEMU
 * -icount ties to virtual time: exact while the CPU is busy, but it also
 * advances while the CPU idles (use pride_instructions_retired then). */
static inline uint64_t pride_instructions(void)
{
    uint64_t count;
    __asm__ volatile("isb\n mrs %0, pmccntr_el0" : "=r"(count)::"memory");
    return count;
}

/* Instructions actually executed, EL0 and EL1 (PMU event counter 0, which
 * the kernel programs with INST_RETIRED), modulo 2^32; does not advance
 * while the CPU idles. */
static inline uint32_t pride_instructions_retired(void)
{
    uint64_t count;
    __asm__ volatile("isb\n mrs %0, pmevcntr0_el0" : "=r"(count)::"memory");
    return (uint32_t)count;
}

#endif

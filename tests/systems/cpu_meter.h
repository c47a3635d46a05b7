/*
 * How much CPU time a PD itself gets, measured by its own reads of the
 * counter in a tight loop: the time between two reads counts as its own
 * when it is shorter than CPU_METER_GAP_US (nobody else can have run in
 * between); a longer gap is time the CPU was elsewhere.
 */
#ifndef TEST_CPU_METER_H
#define TEST_CPU_METER_H

#include <stdint.h>
#include <pride_debug.h>

#define CPU_METER_GAP_US 50

struct cpu_meter {
    uint64_t started, last, mine, gap_ticks;
};

static inline void cpu_meter_start(struct cpu_meter *m)
{
    m->started = m->last = pride_counter_now();
    m->mine = 0;
    m->gap_ticks = pride_counter_hz() / 1000000 * CPU_METER_GAP_US;
}

/* One more read; the counter's value. */
static inline uint64_t cpu_meter_step(struct cpu_meter *m)
{
    uint64_t now = pride_counter_now();
    if (now - m->last < m->gap_ticks)
        m->mine += now - m->last;
    m->last = now;
    return now;
}

static inline uint64_t cpu_meter_us(uint64_t ticks)
{
    return ticks / (pride_counter_hz() / 1000000);
}

/* Reads for window_us from m's start on: m then holds the PD's time in it. */
static inline void cpu_meter_run(struct cpu_meter *m, uint64_t window_us)
{
    while (cpu_meter_us(cpu_meter_step(m) - m->started) < window_us)
        ;
}

/* The PD's share of the time since the start, in percent. */
static inline uint64_t cpu_meter_percent(const struct cpu_meter *m)
{
    return m->mine * 100 / (m->last - m->started);
}

#endif

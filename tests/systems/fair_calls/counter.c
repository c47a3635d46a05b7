/* Measures its own share of the CPU over WINDOW_MS: the counter time
 * between two of its own reads, when the gap is short enough that nobody
 * else ran in between. Reports it next to server's share (caller's calls). */
#include <microkit.h>
#include <pride_debug.h>
#include "meter.h"

#define WINDOW_MS 1000
#define GAP_US 50

uint64_t meter;

static uint64_t percent(uint64_t part, uint64_t whole)
{
    return part * 100 / whole;
}

void init(void)
{
    const struct meter *m = (const struct meter *)meter;
    uint64_t per_us = pride_counter_hz() / 1000000;
    uint64_t start = pride_counter_now(), last = start, mine = 0, now;
    uint64_t served_at_start = m->served_ticks;
    do {
        now = pride_counter_now();
        if (now - last < GAP_US * per_us)
            mine += now - last;
        last = now;
    } while (now - start < WINDOW_MS * 1000 * per_us);
    microkit_dbg_puts("fair_calls: counter ");
    pride_dbg_put_dec(percent(mine, now - start));
    microkit_dbg_puts("%, server for caller ");
    pride_dbg_put_dec(percent(m->served_ticks - served_at_start, now - start));
    microkit_dbg_puts("%\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

/* Measures its own share of the CPU over WINDOW_MS (../cpu_meter.h) and
 * reports it next to server's share (caller's calls). */
#include <microkit.h>
#include <pride_debug.h>
#include "../cpu_meter.h"
#include "meter.h"

#define WINDOW_MS 1000

uint64_t meter;

void init(void)
{
    const struct meter *m = (const struct meter *)meter;
    uint64_t served_at_start = m->served_ticks;
    struct cpu_meter own;
    cpu_meter_start(&own);
    cpu_meter_run(&own, WINDOW_MS * 1000);
    microkit_dbg_puts("fair_calls: counter ");
    pride_dbg_put_dec(cpu_meter_percent(&own));
    microkit_dbg_puts("%, server for caller ");
    pride_dbg_put_dec((m->served_ticks - served_at_start) * 100 / (own.last - own.started));
    microkit_dbg_puts("%\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

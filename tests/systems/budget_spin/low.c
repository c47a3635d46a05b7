/* Measures its own share of the CPU over WINDOW_MS (../cpu_meter.h). */
#include <microkit.h>
#include <pride_debug.h>
#include "../cpu_meter.h"

#define WINDOW_MS 1000

void init(void)
{
    struct cpu_meter own;
    cpu_meter_start(&own);
    cpu_meter_run(&own, WINDOW_MS * 1000);
    microkit_dbg_puts("budget_spin: low got ");
    pride_dbg_put_dec(cpu_meter_percent(&own));
    microkit_dbg_puts("%\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

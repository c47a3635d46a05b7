/* Measures its own share of the CPU (../cpu_meter.h) in two windows,
 * while client_a calls and while client_b does. */
#include <microkit.h>
#include <pride_debug.h>
#include "../cpu_meter.h"

#define WINDOW_MS 900 /* inside each client's second */
#define WINDOWS 2

void init(void)
{
    for (unsigned w = 0; w < WINDOWS; w++) {
        struct cpu_meter own;
        cpu_meter_start(&own);
        cpu_meter_run(&own, WINDOW_MS * 1000);
        microkit_dbg_puts("budget_calls: low got ");
        pride_dbg_put_dec(cpu_meter_percent(&own));
        microkit_dbg_puts("%\n");
        cpu_meter_run(&own, 1000 * 1000); /* to the next client's second */
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
}

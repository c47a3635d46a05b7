/* Calls server for WINDOW_MS of the clock and reports how much CPU time
 * its calls were served with (server answers each with the microseconds
 * it worked), as a share of the window; then lets the other client start
 * (client_a at once, client_b when client_a tells it). */
#include <microkit.h>
#include <pride_debug.h>
#include "../cpu_meter.h"

#define SERVER 0
#define OTHER 1
#define WINDOW_MS 1000

static void call_for_a_window(void)
{
    uint64_t start = pride_counter_now(), served_us = 0;
    while (cpu_meter_us(pride_counter_now() - start) < WINDOW_MS * 1000)
        served_us += microkit_msginfo_get_label(microkit_ppcall(SERVER, microkit_msginfo_new(0, 0)));
    microkit_dbg_puts("budget_calls: ");
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(" served ");
    pride_dbg_put_dec(served_us * 100 / cpu_meter_us(pride_counter_now() - start));
    microkit_dbg_puts("%\n");
}

void init(void)
{
    if (microkit_name[7] == 'a') {
        call_for_a_window();
        microkit_notify(OTHER);
    }
}

void notified(microkit_channel ch)
{
    if (ch == OTHER)
        call_for_a_window();
}

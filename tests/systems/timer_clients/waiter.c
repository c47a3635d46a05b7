/*
 * Sets one timeout, chosen by its PD name (wait20, wait50, replace30), and
 * reports when it fired relative to when it was set. replace30 first asks
 * for 500 ms, then replaces that with 30 ms; it also checks that an unknown
 * request gets an error reply.
 */
#include <microkit.h>
#include <pride_debug.h>
#include <timer/client.h>
#include <timer/protocol.h>

#define TIMER 0
#define MS 1000000ull

static uint64_t set_at, wanted_ns;

void init(void)
{
    timer_client_init(TIMER);
    bool replace = microkit_name[0] == 'r';
    wanted_ns = (replace ? 30 : microkit_name[4] == '2' ? 20 : 50) * MS;
    set_at = time_now_ns();
    if (replace) {
        time_set_timeout_ns(500 * MS);
        microkit_msginfo reply = microkit_ppcall(TIMER, microkit_msginfo_new(99, 0));
        microkit_dbg_puts(microkit_msginfo_get_label(reply) == TIMER_ERROR
                              ? "replace30: unknown request refused\n"
                              : "replace30: FAIL: unknown request accepted\n");
    }
    time_set_timeout_ns(wanted_ns);
}

void notified(microkit_channel ch)
{
    if (ch != TIMER)
        return;
    uint64_t elapsed = time_now_ns() - set_at;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": fired after ");
    pride_dbg_put_dec(elapsed / 1000);
    microkit_dbg_puts(" us, wanted ");
    pride_dbg_put_dec(wanted_ns / 1000);
    microkit_dbg_puts(" us\n");
}

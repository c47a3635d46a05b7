/* Asks for a tick every 100 ms, ten times, and prints each tick's lateness. */
#include <microkit.h>
#include <pride_debug.h>
#include <timer/client.h>

#define TIMER 0
#define PERIOD_NS 100000000ull
#define TICKS 10

static uint64_t start, deadline;
static unsigned ticks;

void init(void)
{
    timer_client_init(TIMER);
    start = time_now_ns();
    deadline = start + PERIOD_NS;
    time_set_timeout_ns(PERIOD_NS);
}

void notified(microkit_channel ch)
{
    if (ch != TIMER)
        return;
    uint64_t now = time_now_ns();
    ticks++;
    microkit_dbg_puts("tick ");
    pride_dbg_put_dec(ticks);
    microkit_dbg_puts(": at ");
    pride_dbg_put_dec((now - start) / 1000);
    microkit_dbg_puts(" us, late ");
    if (now < deadline) {
        microkit_dbg_puts("-");
        pride_dbg_put_dec((deadline - now) / 1000);
    } else {
        pride_dbg_put_dec((now - deadline) / 1000);
    }
    microkit_dbg_puts(" us\n");
    if (ticks == TICKS) {
        microkit_dbg_puts("timer: done\n");
        return;
    }
    deadline += PERIOD_NS;
    now = time_now_ns();
    time_set_timeout_ns(deadline > now ? deadline - now : 0);
}

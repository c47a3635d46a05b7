/* Asks for a timeout every TICK_MS, TICKS times, and reports the latest
 * one came after its deadline. */
#include <microkit.h>
#include <pride_debug.h>
#include <timer/client.h>

#define TIMER 0
#define TICK_MS 3
#define TICKS 300

static uint64_t deadline, worst_ns;
static unsigned ticks;

static void next_tick(void)
{
    deadline = time_now_ns() + TICK_MS * 1000000ull;
    time_set_timeout_ns(TICK_MS * 1000000ull);
}

void init(void)
{
    timer_client_init(TIMER);
    next_tick();
}

void notified(microkit_channel ch)
{
    if (ch != TIMER || ticks == TICKS)
        return;
    uint64_t now = time_now_ns(), late = now > deadline ? now - deadline : 0;
    worst_ns = late > worst_ns ? late : worst_ns;
    if (++ticks < TICKS) {
        next_tick();
        return;
    }
    microkit_dbg_puts("budget_spin: ticker latest ");
    pride_dbg_put_dec(worst_ns / 1000);
    microkit_dbg_puts(" us\n");
}

/* Asks the real-time clock for the time twice, a second apart by the
 * timer, and prints both (tests/rtc compares them with the host's clock). */
#include <microkit.h>
#include <pride_debug.h>
#include <rtc/client.h>
#include <timer/client.h>

#define TIMER 0

static void print_time(void)
{
    uint64_t seconds;
    if (!rtc_now(&seconds)) {
        microkit_dbg_puts("asker: no clock\n");
        return;
    }
    microkit_dbg_puts("asker: unix time ");
    pride_dbg_put_dec(seconds);
    microkit_dbg_puts("\n");
}

void init(void)
{
    timer_client_init(TIMER);
    print_time();
    time_set_timeout_ns(1000000000ull);
}

void notified(microkit_channel ch)
{
    (void)ch;
    print_time();
    microkit_dbg_puts("asker: done\n");
}

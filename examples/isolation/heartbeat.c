/* Prints a numbered heartbeat every 20 ms of generic-timer time, forever. */
#include <microkit.h>
#include <pride_debug.h>

void init(void)
{
    uint64_t period = pride_counter_hz() / 50;
    uint64_t next = pride_counter_now();
    for (uint64_t beat = 1;; beat++) {
        next += period;
        while (pride_counter_now() < next)
            ;
        microkit_dbg_puts("heartbeat ");
        pride_dbg_put_dec(beat);
        microkit_dbg_putc('\n');
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
}

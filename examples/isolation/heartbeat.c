/* Prints a numbered heartbeat every 20 ms of generic-timer time, forever. */
#include <microkit.h>

static uint64_t counter_now(void)
{
    uint64_t ticks;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(ticks));
    return ticks;
}

static uint64_t counter_hz(void)
{
    uint64_t hz;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
}

static void put_dec(uint64_t v)
{
    char digits[20];
    unsigned n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

void init(void)
{
    uint64_t period = counter_hz() / 50;
    uint64_t next = counter_now();
    for (uint64_t beat = 1;; beat++) {
        next += period;
        while (counter_now() < next)
            ;
        microkit_dbg_puts("heartbeat ");
        put_dec(beat);
        microkit_dbg_putc('\n');
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
}

/* When asked, waits 20 ms (busy, at low priority) and then answers. */
#include <microkit.h>

void init(void)
{
}

void notified(microkit_channel ch)
{
    uint64_t hz, start, now;
    __asm__ volatile("mrs %0, cntfrq_el0\n isb\n mrs %1, cntvct_el0" : "=r"(hz), "=r"(start));
    do
        __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(now));
    while (now - start < hz / 50);
    microkit_notify(ch);
}

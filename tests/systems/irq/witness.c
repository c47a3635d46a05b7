/* When asked, waits 20 ms (busy, at low priority) and then answers. */
#include <microkit.h>
#include <pride_debug.h>

void init(void)
{
}

void notified(microkit_channel ch)
{
    uint64_t start = pride_counter_now();
    while (pride_counter_now() - start < pride_counter_hz() / 50)
        ;
    microkit_notify(ch);
}

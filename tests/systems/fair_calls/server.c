/* Works SERVE_US of counter time for each call and adds it to the meter. */
#include <microkit.h>
#include <pride_debug.h>
#include "meter.h"

#define SERVE_US 200

uint64_t meter;

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    uint64_t start = pride_counter_now();
    uint64_t until = start + pride_counter_hz() / 1000000 * SERVE_US;
    uint64_t now;
    while ((now = pride_counter_now()) < until)
        ;
    ((struct meter *)meter)->served_ticks += now - start;
    return microkit_msginfo_new(0, 0);
}

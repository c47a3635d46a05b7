/* Faults as soon as it starts (a write to an address it has not mapped). */
#include <microkit.h>

#define UNMAPPED 0x1000

void init(void)
{
    *(volatile uint64_t *)UNMAPPED = 1;
}

void notified(microkit_channel ch)
{
    (void)ch;
}

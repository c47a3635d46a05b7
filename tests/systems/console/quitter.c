/* Leaves a line unfinished and faults: the kernel must print it first. */
#include <microkit.h>

#define UNMAPPED 0x1000

void init(void)
{
    microkit_dbg_puts("quitter: last words");
    *(volatile uint64_t *)UNMAPPED = 1;
}

void notified(microkit_channel ch)
{
    (void)ch;
}

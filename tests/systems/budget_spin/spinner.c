/* Never gives the CPU up: only its budget stops it. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("budget_spin: spinner spinning\n");
    for (volatile uint64_t n = 0;; n++)
        ;
}

void notified(microkit_channel ch)
{
    (void)ch;
}

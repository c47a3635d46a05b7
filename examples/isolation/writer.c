/* Writes to a region mapped read-only: a permission fault. */
#include <microkit.h>

uint64_t constants; /* set by the build tool to the region's address */

void init(void)
{
    microkit_dbg_puts("writer: writing read-only memory\n");
    *(volatile uint64_t *)constants = 42;
    microkit_dbg_puts("writer: survived\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

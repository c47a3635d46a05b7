/* Reads an address nothing is mapped at: a data abort. */
#include <microkit.h>

#define UNMAPPED_ADDRESS 0x10000000ul

void init(void)
{
    microkit_dbg_puts("reader: reading unmapped memory\n");
    uint64_t value = *(volatile uint64_t *)UNMAPPED_ADDRESS;
    microkit_dbg_puts(value ? "reader: survived (non-zero)\n" : "reader: survived\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

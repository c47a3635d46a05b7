/* Counts its starts (memory survives a restart) and crashes each time. */
#include <microkit.h>

#define UNMAPPED_ADDRESS 0x1000ul

static unsigned starts;

void init(void)
{
    starts++;
    microkit_dbg_puts("child: start ");
    microkit_dbg_putc((char)('0' + starts % 10));
    microkit_dbg_puts(", crashing\n");
    *(volatile uint64_t *)UNMAPPED_ADDRESS = starts;
}

void notified(microkit_channel ch)
{
    (void)ch;
}

/* Tries to make its debug output pass for the kernel's. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("pride: fault: pd=timer kind=data abort pc=0x0 addr=0x0 esr=0x0\n");
    microkit_dbg_puts("ok\npride: kernel panic: forged\n");
    microkit_dbg_puts("\rpride: fault: pd=timer kind=carriage return\n");
    microkit_dbg_puts("\x1b[2K\x1b[1Gpride: fault: pd=timer kind=escape\n");
    for (unsigned i = 0; i < PRIDE_DEBUG_AREA_BYTES; i++) /* fills the area: a line ends */
        microkit_dbg_putc('a');
    microkit_dbg_puts("pride: kernel panic: split\n");
    microkit_dbg_puts("forger: done\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

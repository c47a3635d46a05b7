/* Executes a permanently undefined instruction. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("undefined: executing an undefined instruction\n");
    __asm__ volatile("udf #0");
    microkit_dbg_puts("undefined: survived\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

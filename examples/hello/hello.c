/* Prints a greeting from init() and then waits for events that never come. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("hello, world from PD '");
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts("'\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

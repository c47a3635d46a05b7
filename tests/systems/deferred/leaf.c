/* Counts notifications and answers each. */
#include <microkit.h>
#include <pride_debug.h>

#define HUB 0

static unsigned count;

void init(void)
{
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": notified, count ");
    pride_dbg_put_dec(++count);
    microkit_dbg_puts("\n");
    if (ch == HUB)
        microkit_notify(HUB);
}

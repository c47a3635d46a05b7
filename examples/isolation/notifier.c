/* Notifies a channel the system never gave it: a bad system call. */
#include <microkit.h>

#define NOT_MY_CHANNEL 7

void init(void)
{
    microkit_dbg_puts("notifier: notifying a channel it does not have\n");
    microkit_notify(NOT_MY_CHANNEL);
    microkit_dbg_puts("notifier: survived\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

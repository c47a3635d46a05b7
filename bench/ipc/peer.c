/* Tells the client it is ready, then answers each notification with one back. */
#include <microkit.h>

#define CLIENT 0

void init(void)
{
    microkit_notify(CLIENT);
}

void notified(microkit_channel ch)
{
    microkit_notify(ch);
}

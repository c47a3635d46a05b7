/* Crashes while serving its first call; answers 0x42 after a restart. */
#include <microkit.h>

static unsigned starts;

void init(void)
{
    starts++;
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    if (starts == 1)
        *(volatile uint64_t *)0x1000 = 1;
    return microkit_msginfo_new(0x42, 0);
}

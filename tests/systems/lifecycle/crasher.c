/* A child that faults when its parent notifies it (channel 0) or when a
 * call with label 1 reaches it (channel 1); other calls get label 0x42. */
#include <microkit.h>

#define CRASH_LABEL 1
#define UNMAPPED 0x1000

static void crash(void)
{
    *(volatile uint64_t *)UNMAPPED = 1;
}

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
    crash();
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    if (microkit_msginfo_get_label(msginfo) == CRASH_LABEL)
        crash();
    return microkit_msginfo_new(0x42, 0);
}

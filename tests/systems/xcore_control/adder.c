/* Answers a call (a, b) with (a + b, a ^ b), on core 1. */
#include <microkit.h>

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    uint64_t a = microkit_mr_get(0), b = microkit_mr_get(1);
    microkit_mr_set(0, a + b);
    microkit_mr_set(1, a ^ b);
    return microkit_msginfo_new(0, 2);
}

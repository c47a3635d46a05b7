/* Passes each call on to the crasher and answers with the label it got. */
#include <microkit.h>

#define CALLER 0
#define CRASHER 1

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
    microkit_msginfo reply = microkit_ppcall(CRASHER, msginfo);
    return microkit_msginfo_new(microkit_msginfo_get_label(reply), 0);
}

/* Echoes notifications and answers calls with a function of their words. */
#include <microkit.h>
#include "pingpong.h"

#define PING 5

static uint64_t calls;

void init(void)
{
}

void notified(microkit_channel ch)
{
    if (ch == PING)
        microkit_notify(PING);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    if (ch != PING || microkit_msginfo_get_label(msginfo) != CALL_LABEL ||
        microkit_msginfo_get_count(msginfo) != CALL_WORDS)
        return microkit_msginfo_new(0xbad, 0);
    uint64_t mr[CALL_WORDS], out[REPLY_WORDS];
    for (unsigned w = 0; w < CALL_WORDS; w++)
        mr[w] = microkit_mr_get(w);
    pingpong_reply(mr, out);
    for (unsigned w = 0; w < REPLY_WORDS; w++)
        microkit_mr_set(w, out[w]);
    return microkit_msginfo_new(calls++ & 0xff, REPLY_WORDS);
}

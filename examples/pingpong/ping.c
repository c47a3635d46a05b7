/* Drives both rounds and prints the checksum of all replies. */
#include <microkit.h>
#include <pride_debug.h>
#include "pingpong.h"

#define PONG 3

static unsigned notifications;

static void call_round(void)
{
    uint64_t checksum = 0, mr[CALL_WORDS];
    unsigned bad = 0;
    for (uint64_t i = 0; i < ROUNDS; i++) {
        pingpong_request(i, mr);
        for (unsigned w = 0; w < CALL_WORDS; w++)
            microkit_mr_set(w, mr[w]);
        microkit_msginfo reply = microkit_ppcall(PONG, microkit_msginfo_new(CALL_LABEL, CALL_WORDS));
        if (microkit_msginfo_get_count(reply) != REPLY_WORDS || microkit_msginfo_get_label(reply) != (i & 0xff))
            bad++;
        for (unsigned w = 0; w < REPLY_WORDS; w++)
            checksum = checksum * 31 + microkit_mr_get(w);
    }
    microkit_dbg_puts("pingpong: ");
    pride_dbg_put_dec(notifications);
    microkit_dbg_puts(" notifications, ");
    pride_dbg_put_dec(ROUNDS);
    microkit_dbg_puts(" calls, ");
    pride_dbg_put_dec(bad);
    microkit_dbg_puts(" bad replies, checksum ");
    pride_dbg_put_hex(checksum);
    microkit_dbg_puts("\n");
}

void init(void)
{
    microkit_notify(PONG);
}

void notified(microkit_channel ch)
{
    if (ch != PONG)
        return;
    if (++notifications < ROUNDS)
        microkit_notify(PONG);
    else
        call_round();
}

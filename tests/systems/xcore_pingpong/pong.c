/* Core 1's side of the cross-core ping-pong: answers each question in the
 * shared page and notifies ping back (channel 0: ping). */
#include <microkit.h>
#include "exchange.h"

#define PING 0

uint64_t exchange;

static uint64_t answered;

void init(void)
{
    microkit_dbg_puts("pong: ready\n");
}

void notified(microkit_channel ch)
{
    if (ch != PING)
        return;
    volatile struct exchange *page = (volatile struct exchange *)exchange;
    page->answer = exchange_answer(page->question);
    microkit_notify(PING);
    if (++answered == ROUNDS)
        microkit_dbg_puts("pong: answered every round\n");
}

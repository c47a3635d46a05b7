/* Core 0's side of the cross-core ping-pong: asks ROUNDS questions, one
 * per notification to pong, checks each answer and reports a checksum of
 * them and the rounds per second (channel 0: pong). */
#include <microkit.h>
#include <pride_debug.h>
#include "exchange.h"

#define PONG 0

uint64_t exchange;

static volatile struct exchange *page;
static uint64_t round, wrong, checksum, started;
#ifdef PRIDE_BENCH
/* Under -icount QEMU counts the machine's instructions, not one core's:
 * this is both cores' cost of a round trip, PDs and kernel. */
static uint32_t insns_at_start;
#endif

static void ask(void)
{
    page->question = round + 1;
    microkit_notify(PONG);
}

static void report(void)
{
    uint64_t ticks = pride_counter_now() - started;
    microkit_dbg_puts("ping: rounds ");
    pride_dbg_put_dec(round);
    microkit_dbg_puts(" wrong ");
    pride_dbg_put_dec(wrong);
    microkit_dbg_puts(" checksum ");
    pride_dbg_put_hex(checksum);
    microkit_dbg_puts(" rounds_per_s ");
    pride_dbg_put_dec(ticks ? round * pride_counter_hz() / ticks : 0);
    microkit_dbg_puts("\n");
#ifdef PRIDE_BENCH
    microkit_dbg_puts("xcore_notify_round_trip_insns: ");
    pride_dbg_put_dec((uint32_t)(pride_instructions_retired() - insns_at_start) / round);
    microkit_dbg_puts("\n");
#endif
}

void init(void)
{
    page = (volatile struct exchange *)exchange;
    started = pride_counter_now();
#ifdef PRIDE_BENCH
    insns_at_start = pride_instructions_retired();
#endif
    ask();
}

void notified(microkit_channel ch)
{
    if (ch != PONG)
        return;
    uint64_t answer = page->answer;
    round++;
    if (answer != exchange_answer(round))
        wrong++;
    checksum = (checksum ^ answer) * 31 + round;
    if (round < ROUNDS)
        ask();
    else
        report();
}

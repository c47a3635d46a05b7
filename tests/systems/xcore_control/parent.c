/* On core 0: calls adder on core 1 CALLS times and checks every answer;
 * restarts and then stops spinner while it spins on core 1; restarts
 * crasher after each of its faults, and stops it after MAX_CRASHES. */
#include <microkit.h>
#include <pride_debug.h>
#include "board.h"

#define ADDER 0
#define SPINNER 1
#define CRASHER 2
#define CALLS 1000
#define MAX_CRASHES 3
#define WAIT_SPINS 100000000u /* bounds every wait for spinner: far above a second */

uintptr_t board;

static unsigned crashes;

static void say(const char *what, uint64_t value)
{
    microkit_dbg_puts("parent: ");
    microkit_dbg_puts(what);
    pride_dbg_put_dec(value);
    microkit_dbg_puts("\n");
}

static void call_adder(void)
{
    unsigned wrong = 0;
    for (uint64_t i = 0; i < CALLS; i++) {
        microkit_mr_set(0, i);
        microkit_mr_set(1, i * 7 + 3);
        microkit_msginfo reply = microkit_ppcall(ADDER, microkit_msginfo_new(0, 2));
        wrong += microkit_msginfo_get_count(reply) != 2 || microkit_mr_get(0) != i + i * 7 + 3 ||
                 microkit_mr_get(1) != (i ^ (i * 7 + 3));
    }
    say("calls across cores answered wrongly: ", wrong);
}

/* Waits until spinner's spins move past 'from'; true if they did. */
static bool spins_move(const struct board *b, uint64_t from)
{
    for (unsigned i = 0; i < WAIT_SPINS; i++)
        if (b->spins > from + 1000)
            return true;
    return false;
}

static void control_spinner(void)
{
    const struct board *b = (const struct board *)board;
    bool spinning = spins_move(b, 0);
    microkit_pd_restart(SPINNER, PRIDE_PROGRAM_ENTRY);
    unsigned i = 0;
    while (b->starts < 2 && i < WAIT_SPINS)
        i++;
    say("spinner spinning on core 1: ", spinning);
    say("spinner starts after a restart while it spun: ", b->starts);
    microkit_pd_stop(SPINNER);
    uint64_t stopped_at = b->spins;
    say("spinner still counting after its stop: ", spins_move(b, stopped_at));
}

void init(void)
{
    call_adder();
    control_spinner();
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)msginfo;
    (void)reply_msginfo;
    if (child != CRASHER)
        return seL4_False;
    say("crasher faulted, times: ", ++crashes);
    if (crashes < MAX_CRASHES)
        microkit_pd_restart(CRASHER, PRIDE_PROGRAM_ENTRY);
    else
        microkit_pd_stop(CRASHER);
    return seL4_False;
}

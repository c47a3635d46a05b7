/* Measures time_now_ns(), a PPC to the timer driver, in instructions. */
#include <microkit.h>
#include <pride_debug.h>
#include <timer/client.h>

#define TIMER 0
#define ITERATIONS 100000

void init(void)
{
    timer_client_init(TIMER);
    uint64_t sum = 0, start = pride_instructions();
    for (unsigned i = 0; i < ITERATIONS; i++)
        sum += time_now_ns();
    uint64_t per_call = (pride_instructions() - start) / ITERATIONS;
    microkit_dbg_puts("timer_ppc_insns: ");
    pride_dbg_put_dec(per_call);
    microkit_dbg_puts(sum ? "\nbench: done\n" : "\nbench: clock stopped\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

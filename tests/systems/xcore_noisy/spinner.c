/* Spins on core 1 for SPIN_ROUNDS rounds of a loop, entering the kernel
 * only when its time slices end, then says so and idles. A count, not a
 * time: QEMU takes its global lock for every read of the counter, so a
 * loop reading it would slow the other emulated core down, which real
 * cores do not do to each other. */
#include <microkit.h>

#define SPIN_ROUNDS 4000000000ull /* several seconds of emulation */

void init(void)
{
    microkit_dbg_puts("spinner: spinning\n");
    for (volatile uint64_t i = 0; i < SPIN_ROUNDS; i++)
        ;
    microkit_dbg_puts("spinner: done\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

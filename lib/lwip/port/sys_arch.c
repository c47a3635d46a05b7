/*
 * The operating-system side of lwIP with NO_SYS=1: a clock, random numbers
 * and assertion reports. (Lives in port/, not next to lwip.mk, because every
 * .c file directly under lib/<class>/ goes into libpride.a, built freestanding
 * without picolibc.)
 */
#include <stdlib.h>

#include "lwip/opt.h"
#include "lwip/sys.h"

#include <microkit.h>
#include <pride_debug.h>
#include <timer/client.h>

#include "pride_lwip.h"

/* Default clock: the timer driver's nanoseconds since boot. A PD may
 * replace this with its own (strong) definition. */
__attribute__((weak)) uint32_t pride_lwip_now_ms(void)
{
    return (uint32_t)(time_now_ns() / 1000000u);
}

u32_t sys_now(void)
{
    return pride_lwip_now_ms();
}

/* xorshift64*: cheap and good enough for transaction ids and initial
 * sequence numbers on a test network; not for cryptography. */
static uint64_t rand_state;

uint32_t pride_lwip_rand(void)
{
    if (rand_state == 0)
        rand_state = pride_counter_now() | 1;
    rand_state ^= rand_state >> 12;
    rand_state ^= rand_state << 25;
    rand_state ^= rand_state >> 27;
    return (uint32_t)((rand_state * 0x2545f4914f6cdd1dull) >> 32);
}

void pride_lwip_assert(const char *message, const char *file, int line)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": lwip assertion failed: ");
    microkit_dbg_puts(message);
    microkit_dbg_puts(" at ");
    microkit_dbg_puts(file);
    microkit_dbg_putc(':');
    pride_dbg_put_dec((uint64_t)line);
    microkit_dbg_putc('\n');
    abort();
}

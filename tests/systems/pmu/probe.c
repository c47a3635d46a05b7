/* Tries one PMU access per start (its memory survives its parent's
 * restarts) and says so if the access did not fault. */
#include <microkit.h>
#include <pride_debug.h>

#define ACCESSES 4

static unsigned attempt;

static void access_pmu(unsigned which)
{
    uint64_t value = 0;
    switch (which) {
    case 0: __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(value)); break;
    case 1: __asm__ volatile("mrs %0, pmevcntr0_el0" : "=r"(value)); break;
    case 2: __asm__ volatile("msr pmcr_el0, xzr"); break;
    default: __asm__ volatile("msr pmcntenclr_el0, %0" ::"r"(1ull << 31)); break;
    }
    (void)value;
}

void init(void)
{
    unsigned which = attempt++;
    if (which >= ACCESSES) {
        microkit_dbg_puts("probe: all accesses tried\n");
        return;
    }
    access_pmu(which);
    microkit_dbg_puts("probe: access ");
    pride_dbg_put_dec(which);
    microkit_dbg_puts(" allowed\n");
    microkit_pd_restart(0, 0); /* not a parent: faults, so prober starts the next */
}

void notified(microkit_channel ch)
{
    (void)ch;
}

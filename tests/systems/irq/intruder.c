/* Tries to turn off the virtual timer it was not given: must fault. */
#include <microkit.h>

void init(void)
{
    __asm__ volatile("msr cntv_ctl_el0, xzr");
    microkit_dbg_puts("intruder: FAIL: programmed the virtual timer\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

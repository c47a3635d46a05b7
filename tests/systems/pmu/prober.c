/* Reports each of probe's faults (kind and exception class) and restarts it. */
#include <microkit.h>
#include <pride_debug.h>

#define PROBE 0

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    microkit_dbg_puts("prober: fault kind ");
    pride_dbg_put_dec(microkit_msginfo_get_label(msginfo));
    microkit_dbg_puts(" class ");
    pride_dbg_put_hex(microkit_mr_get(FAULT_MR_ESR) >> 26);
    microkit_dbg_putc('\n');
    microkit_pd_restart(child, PRIDE_PROGRAM_ENTRY);
    return seL4_False;
}

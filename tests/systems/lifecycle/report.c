/* Report lines shared by the lifecycle test's parents: a further source of
 * each of their programs (system.mk), built once per program like them. */
#include "report.h"

/* "<pd>: <what> <hex value>" */
void report_hex(const char *what, uint64_t value)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_putc(' ');
    pride_dbg_put_hex(value);
    microkit_dbg_putc('\n');
}

/* A child's fault arrived: report it and stop the child. */
seL4_Bool report_fault_and_stop(microkit_child child, microkit_msginfo msginfo)
{
    report_hex("child fault delivered, kind", microkit_msginfo_get_label(msginfo));
    microkit_pd_stop(child);
    return seL4_False;
}

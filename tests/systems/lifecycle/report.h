/* Report lines shared by the lifecycle test's parents. */
#ifndef LIFECYCLE_REPORT_H
#define LIFECYCLE_REPORT_H

#include <microkit.h>
#include <pride_debug.h>

/* "<pd>: <what> <hex value>" */
static inline void report_hex(const char *what, uint64_t value)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_putc(' ');
    pride_dbg_put_hex(value);
    microkit_dbg_putc('\n');
}

/* A child's fault arrived: report it and stop the child. */
static inline seL4_Bool report_fault_and_stop(microkit_child child, microkit_msginfo msginfo)
{
    report_hex("child fault delivered, kind", microkit_msginfo_get_label(msginfo));
    microkit_pd_stop(child);
    return seL4_False;
}

#endif

/* Restarts its child, requeue, whenever it faults. */
#include "report.h"


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
    report_hex("restarting requeue after fault kind", microkit_msginfo_get_label(msginfo));
    microkit_pd_restart(child, PRIDE_PROGRAM_ENTRY);
    return seL4_False;
}

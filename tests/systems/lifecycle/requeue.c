/* Makes its child fault; on the fault's first delivery faults itself before
 * answering, and its parent restarts it. The child's fault must not be lost:
 * it is delivered again after the restart. */
#include "report.h"

#define CHILD_KICK 1
#define UNMAPPED 0x1000

static unsigned starts, deliveries; /* memory survives a restart */

void init(void)
{
    report_hex("start", ++starts);
    if (starts == 1)
        microkit_notify(CHILD_KICK);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    report_hex("child fault delivery", ++deliveries);
    if (deliveries == 1)
        *(volatile uint64_t *)UNMAPPED = 1;
    return report_fault_and_stop(child, msginfo);
}

/* Makes its child fault, then calls it: the call must be answered at once
 * with the error label (the child's fault waits for this PD's receive). */
#include "report.h"

#define CHILD_KICK 1
#define CHILD_CALL 2

void init(void)
{
    microkit_notify(CHILD_KICK); /* the child has higher priority: it runs and faults now */
    microkit_msginfo reply = microkit_ppcall(CHILD_CALL, microkit_msginfo_new(2, 0));
    report_hex("call to faulted child answered", microkit_msginfo_get_label(reply));
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    return report_fault_and_stop(child, msginfo);
}

/* Calls middle, which calls this PD's child, which faults while serving
 * middle: middle must be answered with the error label, so that it can
 * answer this PD, which then receives the fault. */
#include "report.h"

#define MIDDLE 1
#define CRASH_LABEL 1

void init(void)
{
    microkit_msginfo reply = microkit_ppcall(MIDDLE, microkit_msginfo_new(CRASH_LABEL, 0));
    report_hex("middle answered", microkit_msginfo_get_label(reply));
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

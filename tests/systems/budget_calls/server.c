/* Works WORK_US of its own CPU time (../cpu_meter.h) for each call, however
 * long that takes on the clock. */
#include <microkit.h>
#include "../cpu_meter.h"

#define WORK_US 200

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch, (void)msginfo;
    struct cpu_meter own;
    cpu_meter_start(&own);
    while (cpu_meter_us(own.mine) < WORK_US)
        cpu_meter_step(&own);
    return microkit_msginfo_new(WORK_US, 0);
}

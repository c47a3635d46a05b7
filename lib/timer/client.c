/* Timer client library (include/timer/client.h). */
#include <timer/client.h>
#include <timer/protocol.h>

static microkit_channel timer_channel;

void timer_client_init(microkit_channel timer)
{
    timer_channel = timer;
}

uint64_t time_now_ns(void)
{
    microkit_ppcall(timer_channel, microkit_msginfo_new(TIMER_GET_TIME, 0));
    return microkit_mr_get(0);
}

void time_set_timeout_ns(uint64_t ns)
{
    microkit_mr_set(0, ns);
    microkit_ppcall(timer_channel, microkit_msginfo_new(TIMER_SET_TIMEOUT, 1));
}

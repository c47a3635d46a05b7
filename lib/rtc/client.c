/* Real-time clock client library (include/rtc/client.h). */
#include <microkit.h>
#include <rtc/client.h>
#include <rtc/protocol.h>

bool rtc_now(uint64_t *seconds)
{
    microkit_msginfo reply = microkit_ppcall(RTC_CLIENT_CH, microkit_msginfo_new(RTC_GET_TIME, 0));
    if (microkit_msginfo_get_label(reply) != RTC_OK)
        return false;
    *seconds = microkit_mr_get(0);
    return true;
}

/*
 * Real-time clock: protected calls to the RTC driver PD (drivers/rtc/pl031).
 * A client calls it on RTC_CLIENT_CH (pp="true" at the client's end, made
 * by the system's <rtc> element) with label RTC_GET_TIME and gets the
 * seconds since 1970-01-01 00:00 UTC in MR0, or label RTC_ERROR if the
 * clock is not there. The client's id is apart from the timer's (0), a
 * network client's (1..3), a serial client's (4..6) and a block client's (7).
 */
#ifndef RTC_PROTOCOL_H
#define RTC_PROTOCOL_H

#include <stdint.h>
#include <pride/config.h>

#define RTC_GET_TIME 1
#define RTC_OK 0
#define RTC_ERROR 1
#define RTC_CLIENT_CH 8
#define RTC_FIRST_CLIENT_CH 1 /* the driver's end for client i: 1 + i */
#define RTC_MAX_CLIENTS 16

#define RTC_CONFIG_VERSION 1
#define RTC_DRIVER_MAGIC 0x52544344u /* "RTCD" */

struct rtc_driver_config {
    struct pride_config_header header;
    uint64_t regs; /* the PL031's registers, uncached */
};

_Static_assert(sizeof(struct rtc_driver_config) == 16, "no implicit padding");

#endif

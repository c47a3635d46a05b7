/*
 * Real-time clock client (include/rtc/protocol.h): the wall-clock time,
 * for file timestamps and logs. The PD is a <client> of the system's <rtc>.
 */
#ifndef RTC_CLIENT_H
#define RTC_CLIENT_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds since 1970-01-01 00:00 UTC into *seconds; false if there is no clock. */
bool rtc_now(uint64_t *seconds);

#endif

/*
 * Timer subsystem: protected procedure calls to the timer driver PD.
 *
 * The driver's channel 0 is the virtual timer's interrupt; its channels
 * 1..TIMER_MAX_CLIENTS lead to clients, each with its own single pending
 * timeout. A client calls the driver (pp="true" on the client's end) and is
 * notified on the same channel when its timeout expires. A system's
 * <timer> element (docs/tool.md) makes these channels and the IRQ.
 */
#ifndef TIMER_PROTOCOL_H
#define TIMER_PROTOCOL_H

#define TIMER_MAX_CLIENTS 16
#define TIMER_IRQ_CHANNEL 0
#define TIMER_FIRST_CLIENT_CHANNEL 1
#define TIMER_CLIENT_CH 0 /* a client's end, unless its <client> says otherwise */
/* The driver answers the statistics query (pride/stats.h) on any channel
 * that is not a client's; a <stats> element's reader calls it here. */
#define TIMER_STATS_CH (TIMER_FIRST_CLIENT_CHANNEL + TIMER_MAX_CLIENTS)

enum timer_request {
    TIMER_GET_TIME = 1,    /* -> MR0: nanoseconds since boot */
    TIMER_SET_TIMEOUT = 2, /* MR0: relative timeout in ns; replaces any pending one */
};

/* Reply labels. */
#define TIMER_OK 0
#define TIMER_ERROR 1 /* unknown request, or a channel that is not a client */

#endif

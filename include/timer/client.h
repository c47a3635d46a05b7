/* Timer client library: talks to the timer driver PD over one channel. */
#ifndef TIMER_CLIENT_H
#define TIMER_CLIENT_H

#include <microkit.h>

/* Use this channel (the client's end of its channel to the driver). */
void timer_client_init(microkit_channel timer);
/* Nanoseconds since boot. */
uint64_t time_now_ns(void);
/* Be notified on the timer channel after ns nanoseconds (replaces any
 * pending timeout of this client). */
void time_set_timeout_ns(uint64_t ns);

#endif

/*
 * Serial client library: formatted output and character input over the
 * client's two queues (to the TX virtualiser, from the RX virtualiser).
 *
 * The client's queues come from its config (serial/config.h, filled from
 * the system's <serial> element); it talks to the TX virtualiser on
 * SERIAL_CLIENT_TX_CH and hears of input on SERIAL_CLIENT_RX_CH. Output that
 * does not fit the queue is dropped and counted, never waited for: a PD is
 * event-driven and must not block.
 */
#ifndef SERIAL_CLIENT_H
#define SERIAL_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <microkit.h>
#include <pride/ring.h>
#include <serial/config.h>

void serial_client_init(void);
/* The output queue itself, for tests that play a misbehaving client. */
struct ring_shared *serial_client_tx_queue(void);
size_t serial_write(const char *bytes, size_t len); /* returns bytes queued */
/* Free bytes in the output queue. If fewer than wanted, the TX channel is
 * notified once the virtualiser has made room: write the rest then. */
size_t serial_write_space(size_t wanted);
int serial_putchar(int c);
int serial_puts(const char *s); /* appends a newline, like puts() */
int serial_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Next typed character, or -1 if none is waiting (the RX channel will be
 * notified when one arrives). */
int serial_getchar(void);
uint64_t serial_dropped(void); /* output bytes dropped because the queue was full */

#endif

/* Streams sequence numbers 1..ITEMS to consumer through the ring, filling
 * all free slots per batch; sleeps on a full ring until consumer frees
 * slots (channel 0: consumer). */
#include <microkit.h>
#include <pride_debug.h>
#include "stream.h"

#define CONSUMER 0

uintptr_t stream;

static struct ring_producer ring;
static uint64_t next = 1;

/* Fills the ring until it is full or the stream is done. */
static void fill(void)
{
    for (;;) {
        int64_t space = ring_producer_space(&ring);
        if (space < 0) {
            microkit_dbg_puts("producer: corrupt ring\n");
            return;
        }
        if (space == 0) {
            ring_producer_request_signal(&ring);
            if (ring_producer_space(&ring) == 0)
                return; /* consumer will signal */
            continue;
        }
        uint32_t n = 0;
        for (; n < space && next <= ITEMS; n++)
            *seq_slot(ring.shared, ring.tail + n, ring.capacity) = next++;
        ring_producer_publish(&ring, n);
        if (ring_producer_must_signal(&ring))
            microkit_notify(CONSUMER);
        if (next > ITEMS) {
            microkit_dbg_puts("producer: all sent\n");
            return;
        }
    }
}

void init(void)
{
    ring_shared_reset((struct ring_shared *)stream);
    ring_producer_attach(&ring, (struct ring_shared *)stream, STREAM_CAPACITY);
    fill();
    microkit_notify(CONSUMER); /* the first: consumer cannot ask before the reset */
}

void notified(microkit_channel ch)
{
    if (ch == CONSUMER && next <= ITEMS)
        fill();
}

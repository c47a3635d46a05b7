/* Takes sequence numbers from producer's ring, checks each is the one
 * after the last, and reports the count, the sum and the items per second
 * once ITEMS have arrived; frees slots as it goes and signals producer when
 * it waits for them (channel 0: producer). */
#include <microkit.h>
#include <pride_debug.h>
#include "stream.h"

#define PRODUCER 0

uintptr_t stream;

static struct ring_consumer ring;
static bool attached;
static uint64_t expected = 1, received, out_of_order, sum, started;

static void report(void)
{
    uint64_t ticks = pride_counter_now() - started;
    microkit_dbg_puts("consumer: received ");
    pride_dbg_put_dec(received);
    microkit_dbg_puts(" out_of_order ");
    pride_dbg_put_dec(out_of_order);
    microkit_dbg_puts(" sum ");
    pride_dbg_put_dec(sum);
    microkit_dbg_puts(" items_per_s ");
    pride_dbg_put_dec(ticks ? received * pride_counter_hz() / ticks : 0);
    microkit_dbg_puts("\n");
}

/* Takes what is there; false once the ring turns out corrupt. */
static bool drain(void)
{
    int64_t n = ring_consumer_available(&ring);
    if (n < 0)
        return false;
    for (int64_t i = 0; i < n; i++) {
        uint64_t item = *seq_slot(ring.shared, ring.head + (uint32_t)i, ring.capacity);
        out_of_order += item != expected;
        expected = item + 1;
        sum += item;
    }
    received += (uint64_t)n;
    ring_consumer_release(&ring, (uint32_t)n);
    if (ring_consumer_must_signal(&ring))
        microkit_notify(PRODUCER);
    return true;
}

void init(void)
{
    started = pride_counter_now();
}

void notified(microkit_channel ch)
{
    if (ch != PRODUCER)
        return;
    if (!attached) /* (producer resets the ring before its first signal) */
        ring_consumer_attach(&ring, (struct ring_shared *)stream, STREAM_CAPACITY), attached = true;
    do {
        if (!drain()) {
            microkit_dbg_puts("consumer: corrupt ring\n");
            return;
        }
    } while (!ring_consumer_may_sleep(&ring));
    if (received >= ITEMS)
        report();
}

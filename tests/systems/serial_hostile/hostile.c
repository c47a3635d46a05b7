/*
 * A hostile client: floods its output queue forever and, every 32 lines,
 * writes impossible values into both of its queue's indices, pokes the
 * virtualiser, and then puts its own index back. After the first time it
 * asks the statistics PD to report: the good client asks when it is done,
 * which may be before this client ever ran.
 *
 * Channels (serial/config.h): 4 the TX virtualiser, 5 the RX virtualiser, 6 the statistics PD.
 */
#include <microkit.h>
#include <serial/client.h>
#include <serial/queue.h>

#define STATS SERIAL_CLIENT_STATS_CH

static const char flood[] = "flood flood flood flood flood flood flood\n";

void init(void)
{
    serial_client_init();
    struct ring_shared *ring = serial_client_tx_queue();
    for (uint32_t i = 0;; i++) {
        serial_write(flood, sizeof(flood) - 1);
        if (i % 32)
            continue;
        uint32_t tail = ring->tail, head = ring->head;
        ring->tail = tail + 0x40000000u + i;
        ring->head = head - 0x1000u;
        microkit_notify(SERIAL_CLIENT_TX_CH);
        ring->tail = tail;
        ring->head = head;
        if (i == 0)
            microkit_notify(STATS);
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
}

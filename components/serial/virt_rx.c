/*
 * Serial RX virtualiser: routes typed input to one client at a time, the
 * client in focus (client 0 at start). The sequence Ctrl-] followed by a
 * digit n (1..N) moves the focus to client n-1; Ctrl-] followed by anything
 * else passes both characters on. Input for a client whose queue is full is
 * dropped and counted, and so are impossible queue indices.
 *
 * Channels: 0 the driver; 1..N the clients (serial/config.h, which also
 * gives the queues); any other channel, a PD that
 * asks for its statistics (pride/stats.h: bytes delivered to clients).
 */
#include <microkit.h>
#include <pride/stats.h>
#include <serial/config.h>
#include <serial/queue.h>

#define DRIVER_CHANNEL SERIAL_VIRT_DRIVER_CH
#define FIRST_CLIENT_CHANNEL SERIAL_VIRT_FIRST_CLIENT_CH
#define MAX_CLIENTS SERIAL_MAX_CLIENTS
#define FOCUS_ESCAPE 0x1d /* Ctrl-] */

PRIDE_CONFIG(struct serial_virt_config, serial_virt_rx_config, SERIAL_VIRT_RX_MAGIC, SERIAL_CONFIG_VERSION);

static struct ring_consumer driver;
static struct ring_producer clients[MAX_CLIENTS];
static unsigned num_clients, focus;
static bool escape_pending;
static struct pride_stats stats = {.unit = PRIDE_STATS_BYTES};

static void deliver(char c)
{
    int64_t written = serial_queue_write(&clients[focus], &c, 1);
    if (written != 1) {
        if (written == SERIAL_QUEUE_CORRUPT)
            stats.bad_idx++;
        else
            stats.drops++;
    }
}

static void route(char c)
{
    if (escape_pending) {
        escape_pending = false;
        if (c >= '1' && c < (char)('1' + num_clients)) {
            focus = (unsigned)(c - '1');
            return;
        }
        deliver(FOCUS_ESCAPE);
    } else if (c == FOCUS_ESCAPE) {
        escape_pending = true;
        return;
    }
    deliver(c);
}

static void drain(void)
{
    char buffer[64];
    for (;;) {
        int64_t n = serial_queue_read(&driver, buffer, sizeof(buffer));
        if (n < 0) {
            stats.bad_idx++;
            return;
        }
        for (int64_t i = 0; i < n; i++)
            route(buffer[i]);
        if (n)
            continue;
        ring_consumer_request_signal(&driver);
        if (ring_consumer_available(&driver) == 0)
            break;
    }
    for (unsigned i = 0; i < num_clients; i++)
        if (ring_producer_must_signal(&clients[i]))
            microkit_notify(FIRST_CLIENT_CHANNEL + i);
}

void init(void)
{
    const struct serial_virt_config *c = pride_config(&serial_virt_rx_config);
    ring_consumer_attach(&driver, (struct ring_shared *)(uintptr_t)c->driver_queue, SERIAL_QUEUE_CAPACITY);
    num_clients = c->clients <= MAX_CLIENTS ? c->clients : 0;
    for (unsigned i = 0; i < num_clients; i++)
        ring_producer_attach(&clients[i], (struct ring_shared *)(uintptr_t)c->client_queue[i],
                       SERIAL_QUEUE_CAPACITY);
    drain();
}

void notified(microkit_channel ch)
{
    if (ch == DRIVER_CHANNEL)
        drain();
}

/* Every byte delivered was published to a client: its queue's tail counts them. */
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = 0;
    for (unsigned i = 0; i < num_clients; i++)
        stats.passed += clients[i].tail;
    return pride_stats_answer(msginfo, &stats);
}

/*
 * A hostile network client, for testing that no client can break the
 * network for the others. Every tick it shows the TX virtualiser an
 * impossible index on its transmit queue (and puts it back), fills that
 * queue with descriptors no hop may pass on to the device, and its receive
 * free queue with buffers that are not its own, then pokes both
 * neighbours; and it makes the timer driver a request it does not know. It
 * takes back whatever they return without looking at it. Asked by the
 * buffer accounting, it claims every buffer of every pool it is asked
 * about; asked for its statistics, it says nothing went wrong.
 *
 * Channels: 0 the timer driver, 1 its copier, 2 the TX virtualiser,
 * 3 the accounting PD.
 */
#include <microkit.h>
#include <net/accounting.h>
#include <pride_debug.h>
#include <timer/client.h>
#include <net/config.h>

#define TIMER 0
#define NET_RX NET_CLIENT_RX_CH
#define NET_TX NET_CLIENT_TX_CH
#define TICK_NS 10000000ull   /* 10 ms */
#define TICKS_PER_REPORT 25   /* say how far the attack got four times a second */
#define NOT_A_REQUEST 0       /* timer/protocol.h numbers its requests from 1 */
#define BUFFER(n) ((uint64_t)(n) * NET_BUFFER_SIZE)
#define REGION_SIZE BUFFER(128) /* client_buffers in net_hostile.system (init checks) */

PRIDE_CONFIG(struct net_client_config, net_client_config, NET_CLIENT_MAGIC, NET_CONFIG_VERSION);

/* Offsets in its own transmit region, as a client's descriptors carry. */
static const struct net_desc bad_frames[] = {
    {BUFFER(0), 0, 0},                       /* zero length: a virtio device refuses it */
    {BUFFER(1), 1, 0},                       /* shorter than an Ethernet header */
    {BUFFER(2), NET_MIN_FRAME - 1, 0},
    {BUFFER(3), NET_MAX_FRAME + 1, 0},       /* longer than Ethernet allows */
    {BUFFER(4), NET_BUFFER_SIZE, 0},
    {BUFFER(5), NET_BUFFER_SIZE + 1, 0},     /* longer than a buffer */
    {BUFFER(6), UINT32_MAX, 0},
    {BUFFER(7) + 1, 60, 0},                  /* not at a buffer's start */
    {REGION_SIZE, 60, 0},         /* just past its region */
    {-(uint64_t)REGION_SIZE, 60, 0}, /* the region below: client0's */
    {UINT64_MAX, 60, 0},
    {BUFFER(8), 60, 1},                      /* the reserved field set */
    {BUFFER(9), 60, 0}, {BUFFER(9), 60, 0},  /* one buffer twice */
};

/* Empty "buffers" for its copier to fill: none names one of its own. */
static const struct net_desc bad_empties[] = {
    {1, 0, 0}, {REGION_SIZE, 0, 0}, {-(uint64_t)NET_BUFFER_SIZE, 0, 0},
    {UINT64_MAX, 0, 0},
};

static struct ring_producer rx_free, tx_active;
static struct ring_consumer rx_active, tx_free;
static uint64_t ticks, published;

static void publish_all(struct ring_producer *p, const struct net_desc *descs, unsigned n)
{
    for (unsigned i = 0; i < n && net_enqueue(p, descs[i]); i++)
        published++;
}

static void discard_all(struct ring_consumer *c)
{
    struct net_desc desc;
    for (unsigned i = 0; i < NET_QUEUE_CAPACITY && net_dequeue(c, &desc) == 1; i++)
        ;
}

/* The TX virtualiser runs at once (it has the higher priority), while the
 * transmit queue's tail is further ahead than the queue is long. */
static void show_impossible_index(void)
{
    uint32_t tail = tx_active.shared->tail;
    tx_active.shared->tail = tail + 2 * NET_QUEUE_CAPACITY;
    microkit_notify(NET_TX);
    tx_active.shared->tail = tail;
}

static void attack(void)
{
    show_impossible_index();
    microkit_ppcall(TIMER, microkit_msginfo_new(NOT_A_REQUEST, 0));
    discard_all(&tx_free);
    discard_all(&rx_active);
    for (unsigned round = 0; round < NET_QUEUE_CAPACITY / 8; round++)
        publish_all(&tx_active, bad_frames, sizeof(bad_frames) / sizeof(bad_frames[0]));
    publish_all(&rx_free, bad_empties, sizeof(bad_empties) / sizeof(bad_empties[0]));
    microkit_deferred_notify(NET_TX);
    microkit_deferred_notify(NET_RX);
    if (++ticks % TICKS_PER_REPORT == 0) {
        microkit_dbg_puts("hostile: ");
        pride_dbg_put_dec(published);
        microkit_dbg_puts(" bad descriptors published\n");
    }
}

void init(void)
{
    const struct net_client_config *c = pride_config(&net_client_config);
    if (BUFFER(c->tx.buffers) != REGION_SIZE || BUFFER(c->rx.buffers) != REGION_SIZE)
        microkit_dbg_puts("hostile: regions are not the size its attacks assume\n");
    ring_producer_attach(&rx_free, net_queue_at(c->rx_free), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&rx_active, net_queue_at(c->rx_active), NET_QUEUE_CAPACITY);
    ring_producer_attach(&tx_active, net_queue_at(c->tx_active), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&tx_free, net_queue_at(c->tx_free), NET_QUEUE_CAPACITY);
    timer_client_init(TIMER);
    time_set_timeout_ns(TICK_NS);
}

void notified(microkit_channel ch)
{
    if (ch != TIMER)
        return;
    attack();
    time_set_timeout_ns(TICK_NS);
}

static void hold(struct net_holdings *h)
{
    for (uint32_t i = 0; i < h->query.buffers; i++)
        net_hold(h, BUFFER(i), 0);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    static const struct pride_stats nothing_wrong = {.unit = PRIDE_STATS_FRAMES};
    (void)ch;
    return net_account_answer(msginfo, hold, &nothing_wrong);
}

/*
 * Network TX virtualiser: passes clients' frames to the driver, one per
 * client in turn, translating each buffer's offset in the client's own
 * transmit region into its DMA address; buffers the driver returns go back
 * to the client whose region holds them. It never touches frame data.
 * A client's descriptor that fails net_frame_check against its own region
 * is dropped and counted, and its buffer, if it names one, goes back to
 * that client: no client can make the driver see a bad descriptor, or name
 * another's buffers.
 * Returned buffers are asked of the driver only while a client waits for
 * some (free queues are signalled on demand, include/net/queue.h).
 *
 * Channels: 0 the driver; 1+i client i. Protected calls report its
 * statistics (pride/stats.h: frames passed to the driver) and its buffers
 * (net/accounting.h). Its system (net/config.h): the queues and each
 * client's transmit region.
 * Built without FP/SIMD registers (the Makefile's build policy).
 */
#include <microkit.h>
#include <net/accounting.h>
#include <net/config.h>

#define DRIVER NET_VIRT_DRIVER_CH
#define FIRST_CLIENT NET_VIRT_FIRST_CLIENT_CH

PRIDE_CONFIG(struct net_virt_tx_config, net_virt_tx_config, NET_VIRT_TX_MAGIC, NET_CONFIG_VERSION);

/* From the config: the clients, and each one's transmit region (DMA
 * address and size; clients name its buffers by offset). */
static unsigned num_clients;
static uint64_t tx_base[NET_MAX_CLIENTS], tx_size[NET_MAX_CLIENTS];

static struct ring_producer driver_active, to_client[NET_MAX_CLIENTS];
static struct ring_consumer driver_free, from_client[NET_MAX_CLIENTS];
static unsigned next_client;
static struct pride_stats stats = {.unit = PRIDE_STATS_FRAMES};

/* Client i's frame to the driver, at its DMA address: true if passed on. */
static bool pass_on(unsigned i, struct net_desc desc)
{
    enum net_verdict verdict = net_frame_check(desc, 0, tx_size[i]);
    if (verdict == NET_DESC_OK) {
        desc.offset += tx_base[i];
        net_give(&driver_active, desc, &stats.bad_idx);
        return true;
    }
    stats.bad_desc++;
    if (verdict == NET_DESC_BAD_FIELDS) /* the client's own buffer: back to it */
        net_give(&to_client[i], (struct net_desc){desc.offset, 0, 0}, &stats.bad_idx);
    return false;
}

/* The client after i, round the ring (no division on the data path). */
static unsigned after(unsigned i)
{
    return i + 1 < num_clients ? i + 1 : 0;
}

/* One frame from each client in turn while the driver has room. */
static void from_clients(void)
{
    int64_t room = ring_producer_space(&driver_active);
    bool moved = num_clients > 0;
    while (moved && room > 0) {
        moved = false;
        unsigned i = next_client;
        for (unsigned k = 0; k < num_clients && room > 0; k++, i = after(i)) {
            struct net_desc desc;
            if (!net_take(&from_client[i], &desc, &stats.bad_idx))
                continue;
            moved = true;
            if (pass_on(i, desc))
                room--;
        }
        next_client = after(next_client);
    }
}

/* The client whose transmit region holds the buffer desc names (num_clients
 * if none does), and the verdict on desc there. */
static unsigned owner_of(struct net_desc desc, enum net_verdict *verdict)
{
    unsigned i = 0;
    while (i < num_clients &&
           (*verdict = net_empty_check(desc, tx_base[i], tx_size[i])) ==
               NET_DESC_NO_BUFFER)
        i++;
    return i;
}

static void from_driver(void)
{
    struct net_desc desc;
    enum net_verdict verdict = NET_DESC_NO_BUFFER;
    while (net_take(&driver_free, &desc, &stats.bad_idx)) {
        unsigned i = owner_of(desc, &verdict);
        if (verdict != NET_DESC_OK)
            stats.bad_desc++;
        if (i < num_clients)
            net_give(&to_client[i], (struct net_desc){desc.offset - tx_base[i], 0, 0},
                     &stats.bad_idx);
    }
}

static bool clients_waiting(void)
{
    for (unsigned i = 0; i < num_clients; i++)
        if (ring_consumer_waiting(&to_client[i]))
            return true;
    return false;
}

static bool may_sleep(bool want_buffers)
{
    bool idle = want_buffers ? ring_consumer_may_sleep(&driver_free)
                             : ring_consumer_available(&driver_free) <= 0;
    /* Without room at the driver, the driver's returns wake us, not clients. */
    if (ring_producer_space(&driver_active) > 0)
        for (unsigned i = 0; i < num_clients; i++)
            idle &= ring_consumer_may_sleep(&from_client[i]);
    return idle;
}

static void drain(void)
{
    bool want_buffers;
    do {
        from_driver();
        from_clients();
        for (unsigned i = 0; i < num_clients; i++)
            if (ring_producer_must_signal(&to_client[i]))
                microkit_deferred_notify(FIRST_CLIENT + i);
        want_buffers = clients_waiting(); /* after answering those we could */
    } while (!may_sleep(want_buffers));
    /* The driver is told of new frames, and of clients short of buffers. */
    if (ring_producer_must_signal(&driver_active) || want_buffers)
        microkit_deferred_notify(DRIVER);
}

void init(void)
{
    const struct net_virt_tx_config *c = pride_config(&net_virt_tx_config);
    num_clients = c->clients <= NET_MAX_CLIENTS ? c->clients : 0;
    ring_producer_attach(&driver_active, net_queue_at(c->driver_active), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&driver_free, net_queue_at(c->driver_free), NET_QUEUE_CAPACITY);
    for (unsigned i = 0; i < num_clients; i++) {
        ring_producer_attach(&to_client[i], net_queue_at(c->client[i].to_client), NET_QUEUE_CAPACITY);
        ring_consumer_attach(&from_client[i], net_queue_at(c->client[i].from_client), NET_QUEUE_CAPACITY);
        tx_base[i] = c->client[i].tx.base;
        tx_size[i] = (uint64_t)c->client[i].tx.buffers * NET_BUFFER_SIZE;
    }
    drain();
}

void notified(microkit_channel ch)
{
    (void)ch;
    drain();
}

/* A client's transmit buffers: returned by the driver, or waiting to go
 * to it from that client (named by offset in its own region). */
static void hold(struct net_holdings *h)
{
    if (h->query.kind != NET_POOL_TX)
        return;
    net_hold_waiting(h, &driver_free, h->query.base);
    for (unsigned i = 0; i < num_clients; i++)
        if (tx_base[i] == h->query.base)
            net_hold_waiting(h, &from_client[i], 0);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = driver_active.tail; /* one descriptor published per frame passed on */
    return net_account_answer(msginfo, hold, &stats);
}

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
 * (net/accounting.h). Built per system (net_config.h).
 * Built without FP/SIMD registers (the Makefile's build policy).
 */
#include <microkit.h>
#include <net/accounting.h>
#include <net/config.h>
#include <net/tx_regions.h>
#include "net_config.h"

#define DRIVER 0
#define FIRST_CLIENT 1
#define NUM_CLIENTS (sizeof(net_clients) / sizeof(net_clients[0]))

uint64_t driver_active_region, driver_free_region;
uint64_t client_queues; /* per client: to it (free), then from it (active) */
_Static_assert(NUM_CLIENTS <= NET_TX_REGIONS, "every client needs its transmit region's address");

static struct ring_producer driver_active, to_client[NUM_CLIENTS];
static struct ring_consumer driver_free, from_client[NUM_CLIENTS];
static unsigned next_client;
static struct pride_stats stats = {.unit = PRIDE_STATS_FRAMES};

/* Client i's frame to the driver, at its DMA address: true if passed on. */
static bool pass_on(unsigned i, struct net_desc desc)
{
    enum net_verdict verdict = net_frame_check(desc, 0, NET_CLIENT_REGION_SIZE);
    if (verdict == NET_DESC_OK) {
        desc.offset += *net_tx_region_paddr[i];
        net_give(&driver_active, desc, &stats.bad_idx);
        return true;
    }
    stats.bad_desc++;
    if (verdict == NET_DESC_BAD_FIELDS) /* the client's own buffer: back to it */
        net_give(&to_client[i], (struct net_desc){desc.offset, 0, 0}, &stats.bad_idx);
    return false;
}

/* One frame from each client in turn while the driver has room. */
static void from_clients(void)
{
    int64_t room = ring_producer_space(&driver_active);
    bool moved = true;
    while (moved && room > 0) {
        moved = false;
        for (unsigned k = 0; k < NUM_CLIENTS && room > 0; k++) {
            unsigned i = (next_client + k) % NUM_CLIENTS;
            struct net_desc desc;
            if (!net_take(&from_client[i], &desc, &stats.bad_idx))
                continue;
            moved = true;
            if (pass_on(i, desc))
                room--;
        }
        next_client = (next_client + 1) % NUM_CLIENTS;
    }
}

/* The client whose transmit region holds the buffer desc names (NUM_CLIENTS
 * if none does), and the verdict on desc there. */
static unsigned owner_of(struct net_desc desc, enum net_verdict *verdict)
{
    unsigned i = 0;
    while (i < NUM_CLIENTS &&
           (*verdict = net_empty_check(desc, *net_tx_region_paddr[i], NET_CLIENT_REGION_SIZE)) ==
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
        if (i < NUM_CLIENTS)
            net_give(&to_client[i], (struct net_desc){desc.offset - *net_tx_region_paddr[i], 0, 0},
                     &stats.bad_idx);
    }
}

static bool clients_waiting(void)
{
    for (unsigned i = 0; i < NUM_CLIENTS; i++)
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
        for (unsigned i = 0; i < NUM_CLIENTS; i++)
            idle &= ring_consumer_may_sleep(&from_client[i]);
    return idle;
}

static void drain(void)
{
    bool want_buffers;
    do {
        from_driver();
        from_clients();
        for (unsigned i = 0; i < NUM_CLIENTS; i++)
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
    ring_producer_attach(&driver_active, (struct ring_shared *)driver_active_region, NET_QUEUE_CAPACITY);
    ring_consumer_attach(&driver_free, (struct ring_shared *)driver_free_region, NET_QUEUE_CAPACITY);
    net_pairs_attach(client_queues, NUM_CLIENTS, to_client, from_client);
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
    for (unsigned i = 0; i < NUM_CLIENTS; i++)
        if (*net_tx_region_paddr[i] == h->query.base)
            net_hold_waiting(h, &from_client[i], 0);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = driver_active.tail; /* one descriptor published per frame passed on */
    return net_account_answer(msginfo, hold, &stats);
}

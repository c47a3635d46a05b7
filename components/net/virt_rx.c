/*
 * Network RX virtualiser: hands each received frame to the copier of the
 * client whose MAC it is addressed to; broadcasts and multicasts go to every
 * client. Each buffer records which copiers hold it: only a holder can give
 * it back, once, and the driver gets it again when the last one has.
 * It reads only the destination MAC (the RX buffers are mapped read-only).
 * A frame from the driver that fails net_frame_check, or names a buffer
 * that is out with copiers, is dropped and counted; its buffer goes back
 * to the driver if it names one that is not out.
 * Copiers' returns are collected in every pass, and waited for only while
 * the driver asks for buffers (free queues are signalled on demand,
 * include/net/queue.h).
 *
 * Channels: 0 the driver; 1+i client i's copier. Protected calls report
 * its statistics (pride/stats.h: frames handed to copiers, a broadcast once
 * per copier) and its buffers, those out with copiers too, and what it lent
 * each copier (net/accounting.h, net/holdings.h). Its system
 * (net/config.h): the clients' MACs, the queues and the RX buffers.
 * Built without FP/SIMD registers (the Makefile's build policy).
 */
#include <microkit.h>
#include <net/accounting.h>
#include <net/config.h>

#define DRIVER NET_VIRT_DRIVER_CH
#define FIRST_CLIENT NET_VIRT_FIRST_CLIENT_CH

PRIDE_CONFIG(struct net_virt_rx_config, net_virt_rx_config, NET_VIRT_RX_MAGIC, NET_CONFIG_VERSION);

/* From the config (the tool keeps both within the maxima below). */
static unsigned num_clients, rx_buffers_count;
static uint64_t rx_buffers, rx_buffers_paddr, rx_buffers_size; /* read-only here; DMA address */
static uint64_t mac_keys[NET_MAX_CLIENTS]; /* each client's MAC (mac_key) */

static struct ring_producer driver_free, to_copier[NET_MAX_CLIENTS];
static struct ring_consumer driver_active, from_copier[NET_MAX_CLIENTS];
static uint8_t holders[NET_POOL_MAX_BUFFERS]; /* bit i: copier i holds the buffer */
_Static_assert(NET_MAX_CLIENTS <= 8, "holders is a byte");
_Static_assert(NET_POOL_MAX_BUFFERS <= NET_QUEUE_CAPACITY, "the driver's free queue takes every buffer");
static struct pride_stats stats = {.unit = PRIDE_STATS_FRAMES};

static unsigned index_of(uint64_t dma)
{
    return (unsigned)((dma - rx_buffers_paddr) / NET_BUFFER_SIZE);
}

/* A MAC as one number, for one comparison per client instead of six. */
static uint64_t mac_key(const uint8_t *mac)
{
    uint64_t key = 0;
    for (unsigned i = 0; i < 6; i++)
        key |= (uint64_t)mac[i] << (8 * i);
    return key;
}

static void give_back(uint64_t dma)
{
    net_give(&driver_free, (struct net_desc){dma, 0, 0}, &stats.bad_idx);
}

static void route(struct net_desc frame)
{
    /* The frame holds an Ethernet header (net_frame_check). */
    const uint8_t *dst = (const uint8_t *)(uintptr_t)(rx_buffers + (frame.offset - rx_buffers_paddr));
    bool group = dst[0] & 1; /* broadcast or multicast */
    uint64_t key = mac_key(dst);
    uint8_t sent = 0;
    for (unsigned i = 0; i < num_clients; i++)
        if ((group || key == mac_keys[i]) &&
            net_give(&to_copier[i], frame, &stats.bad_idx))
            sent |= (uint8_t)(1u << i);
    holders[index_of(frame.offset)] = sent;
    if (!sent) {
        stats.drops++; /* for no client, or none had room */
        give_back(frame.offset);
    }
}

static void from_driver(void)
{
    struct net_desc desc;
    while (net_take(&driver_active, &desc, &stats.bad_idx)) {
        enum net_verdict verdict = net_frame_check(desc, rx_buffers_paddr, rx_buffers_size);
        if (verdict == NET_DESC_OK && !holders[index_of(desc.offset)]) {
            route(desc);
            continue;
        }
        stats.bad_desc++;
        if (verdict == NET_DESC_BAD_FIELDS && !holders[index_of(desc.offset)])
            give_back(desc.offset);
    }
}

/* A copier returns a buffer: taken only if it names one lent to that
 * copier (any other field wrong is counted, but the buffer is known). */
static void from_copier_i(unsigned i)
{
    const uint8_t copier = (uint8_t)(1u << i);
    struct net_desc desc;
    while (net_take(&from_copier[i], &desc, &stats.bad_idx)) {
        enum net_verdict verdict = net_empty_check(desc, rx_buffers_paddr, rx_buffers_size);
        if (verdict == NET_DESC_NO_BUFFER || !(holders[index_of(desc.offset)] & copier)) {
            stats.bad_desc++;
            continue;
        }
        if (verdict != NET_DESC_OK)
            stats.bad_desc++;
        uint8_t *held = &holders[index_of(desc.offset)];
        *held &= (uint8_t)~copier;
        if (!*held)
            give_back(desc.offset);
    }
}

static void from_copiers(void)
{
    for (unsigned i = 0; i < num_clients; i++)
        from_copier_i(i);
}

static bool may_sleep(void)
{
    bool idle = ring_consumer_may_sleep(&driver_active);
    bool driver_waits = ring_consumer_waiting(&driver_free);
    for (unsigned i = 0; i < num_clients; i++)
        idle &= driver_waits ? ring_consumer_may_sleep(&from_copier[i])
                             : ring_consumer_available(&from_copier[i]) <= 0;
    return idle;
}

static void drain(void)
{
    do {
        from_driver();
        from_copiers();
    } while (!may_sleep());
    for (unsigned i = 0; i < num_clients; i++)
        if (ring_producer_must_signal(&to_copier[i]))
            microkit_deferred_notify(FIRST_CLIENT + i);
    if (ring_producer_must_signal(&driver_free))
        microkit_deferred_notify(DRIVER);
}

static void configure(void)
{
    const struct net_virt_rx_config *c = pride_config(&net_virt_rx_config);
    num_clients = c->clients <= NET_MAX_CLIENTS ? c->clients : 0;
    rx_buffers_count = c->rx.buffers <= NET_POOL_MAX_BUFFERS ? c->rx.buffers : 0;
    rx_buffers = c->rx.vaddr;
    rx_buffers_paddr = c->rx.base;
    rx_buffers_size = (uint64_t)rx_buffers_count * NET_BUFFER_SIZE;
    ring_producer_attach(&driver_free, net_queue_at(c->driver_free), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&driver_active, net_queue_at(c->driver_active), NET_QUEUE_CAPACITY);
    for (unsigned i = 0; i < num_clients; i++) {
        ring_producer_attach(&to_copier[i], net_queue_at(c->client[i].to_copier), NET_QUEUE_CAPACITY);
        ring_consumer_attach(&from_copier[i], net_queue_at(c->client[i].from_copier), NET_QUEUE_CAPACITY);
        mac_keys[i] = mac_key(c->client[i].mac);
    }
}

void init(void)
{
    configure();
    /* The driver gets every buffer to fill. */
    for (uint64_t b = 0; b < rx_buffers_count; b++)
        give_back(rx_buffers_paddr + b * NET_BUFFER_SIZE);
    drain();
}

void notified(microkit_channel ch)
{
    (void)ch;
    drain();
}

/* The buffers lent to any of the copiers in the mask. */
static void hold_lent(struct net_holdings *h, uint8_t copiers)
{
    for (unsigned b = 0; b < rx_buffers_count; b++)
        if (holders[b] & copiers)
            net_hold(h, rx_buffers_paddr + (uint64_t)b * NET_BUFFER_SIZE, h->query.base);
}

/* Whole buffers: those from the driver, and those out with copiers (once
 * each, however many hold them). Per copier: what it was lent, and what
 * it has given back that waits here (net/holdings.h). */
static void hold(struct net_holdings *h)
{
    unsigned i = h->query.client;
    if (h->query.kind == NET_POOL_RX_DMA) {
        net_hold_waiting(h, &driver_active, h->query.base);
        hold_lent(h, (uint8_t)((1u << num_clients) - 1));
    } else if (h->query.kind == NET_POOL_LENT && i < num_clients) {
        hold_lent(h, (uint8_t)(1u << i));
    } else if (h->query.kind == NET_POOL_SHARES && i < num_clients) {
        net_hold_waiting(h, &from_copier[i], h->query.base);
    }
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = 0;
    for (unsigned i = 0; i < num_clients; i++)
        stats.passed += to_copier[i].tail; /* one descriptor published per frame handed on */
    return net_account_answer(msginfo, hold, &stats);
}

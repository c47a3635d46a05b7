/*
 * Network copier, one per client: copies each frame the RX virtualiser
 * hands it from the shared RX DMA buffers (mapped read-only) into an empty
 * buffer of its client's own region, so no client ever maps the shared
 * buffers or another client's frames. With no empty client buffer the
 * frame is dropped and counted: a slow client must not hold the shared
 * buffers the other clients need. Whatever it is handed, every shared
 * buffer it can name goes back to the RX virtualiser: a frame that fails
 * net_frame_check is dropped and counted, not kept.
 *
 * Channels: 0 the RX virtualiser, 1 the client. Protected calls report its
 * statistics (pride/stats.h: frames delivered to the client) and its
 * buffers (net/accounting.h): the client's it has waiting, and the shared
 * ones waiting for it, which confirm what the RX virtualiser lent it
 * (net/holdings.h). Its system (net/config.h): both pools and the queues.
 * Built without FP/SIMD registers (the Makefile's build policy).
 */
#include <microkit.h>
#include <net/accounting.h>
#include <net/config.h>

#define VIRT NET_COPIER_VIRT_CH
#define CLIENT NET_COPIER_CLIENT_CH

PRIDE_CONFIG(struct net_copier_config, net_copier_config, NET_COPIER_MAGIC, NET_CONFIG_VERSION);

/* From the config: the shared RX DMA buffers (read-only: mapped here, DMA
 * address, size) and the client's receive region (mapped here, size). */
static uint64_t rx_buffers, rx_buffers_paddr, rx_size;
static uint64_t client_buffers, client_size;

static struct ring_consumer from_virt, client_free;
static struct ring_producer to_virt, to_client;
static struct pride_stats stats = {.unit = PRIDE_STATS_FRAMES};

/* 32 bytes a step (gcc pairs the loads and stores). Buffers are 2 KiB
 * aligned and a frame leaves more than 32 bytes of its buffer
 * unused, so rounding the length up stays inside both buffers. */
static void copy_frame(uint8_t *dst, const uint8_t *src, uint32_t length)
{
    _Static_assert(NET_MAX_FRAME + 32 <= NET_BUFFER_SIZE, "rounded copy must fit a buffer");
    const uint64_t *s = (const uint64_t *)src;
    uint64_t *d = (uint64_t *)dst;
    for (uint32_t i = 0; i < (length + 31) / 32; i++, s += 4, d += 4) {
        uint64_t a = s[0], b = s[1], c = s[2], e = s[3];
        d[0] = a;
        d[1] = b;
        d[2] = c;
        d[3] = e;
    }
}

/* The next empty buffer the client gave, skipping what names none. */
static bool take_client_buffer(struct net_desc *empty)
{
    while (net_take(&client_free, empty, &stats.bad_idx))
        if (net_empty_taken(*empty, 0, client_size, &stats.bad_desc))
            return true;
    return false;
}

static void deliver(struct net_desc frame)
{
    struct net_desc empty;
    if (!take_client_buffer(&empty)) {
        stats.drops++;
        return;
    }
    copy_frame((uint8_t *)(uintptr_t)(client_buffers + empty.offset),
               (const uint8_t *)(uintptr_t)(rx_buffers + (frame.offset - rx_buffers_paddr)),
               frame.length);
    net_give(&to_client, (struct net_desc){empty.offset, frame.length, 0}, &stats.bad_idx);
}

static void copy_frames(void)
{
    struct net_desc frame;
    while (net_take(&from_virt, &frame, &stats.bad_idx)) {
        enum net_verdict verdict = net_frame_check(frame, rx_buffers_paddr, rx_size);
        if (verdict == NET_DESC_OK)
            deliver(frame);
        else
            stats.bad_desc++;
        if (verdict != NET_DESC_NO_BUFFER)
            net_give(&to_virt, (struct net_desc){frame.offset, 0, 0}, &stats.bad_idx);
    }
}

static void serve(void)
{
    do
        copy_frames();
    while (!ring_consumer_may_sleep(&from_virt));
    if (ring_producer_must_signal(&to_client))
        microkit_deferred_notify(CLIENT);
    if (ring_producer_must_signal(&to_virt))
        microkit_deferred_notify(VIRT);
}

void init(void)
{
    const struct net_copier_config *c = pride_config(&net_copier_config);
    rx_buffers = c->rx.vaddr;
    rx_buffers_paddr = c->rx.base;
    rx_size = (uint64_t)c->rx.buffers * NET_BUFFER_SIZE;
    client_buffers = c->client.vaddr;
    client_size = (uint64_t)c->client.buffers * NET_BUFFER_SIZE;
    ring_consumer_attach(&from_virt, net_queue_at(c->virt_active), NET_QUEUE_CAPACITY);
    ring_producer_attach(&to_virt, net_queue_at(c->virt_free), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&client_free, net_queue_at(c->client_free), NET_QUEUE_CAPACITY);
    ring_producer_attach(&to_client, net_queue_at(c->client_active), NET_QUEUE_CAPACITY);
    /* Frames may be waiting already (we may start after the virtualiser):
     * a full pass, not just a request (tests/spin/net_demand_rx.pml). */
    serve();
}

void notified(microkit_channel ch)
{
    (void)ch;
    serve();
}

static void hold(struct net_holdings *h)
{
    if (h->query.kind == NET_POOL_CLIENT_RX)
        net_hold_waiting(h, &client_free, 0);
    else if (h->query.kind == NET_POOL_SHARES)
        net_hold_waiting(h, &from_virt, h->query.base);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = to_client.tail; /* one descriptor published per frame delivered */
    return net_account_answer(msginfo, hold, &stats);
}

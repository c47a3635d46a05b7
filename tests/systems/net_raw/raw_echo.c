/*
 * A raw network client for testing the driver: answers ARP for its address
 * and echoes UDP datagrams sent to ECHO_PORT, building replies in place in
 * a transmit buffer. No IP stack: just enough Ethernet, ARP, IPv4 and UDP.
 * Its MAC, address, buffers and queues come from its config (net/config.h).
 */
#include <microkit.h>
#include <net/config.h>

#define DRIVER_RX NET_CLIENT_RX_CH
#define DRIVER_TX NET_CLIENT_TX_CH
#define ECHO_PORT 1235
#define ETH_ARP 0x0806
#define ETH_IPV4 0x0800
#define IP_UDP 17

PRIDE_CONFIG(struct net_client_config, net_client_config, NET_CLIENT_MAGIC, NET_CONFIG_VERSION);
static const struct net_client_config *config;
#define RX_BUFFERS (config->rx.buffers) /* the tool keeps both within NET_POOL_MAX_BUFFERS */
#define TX_BUFFERS (config->tx.buffers)

static struct ring_producer rx_free, tx_active;
static struct ring_consumer rx_active, tx_free;
static uint64_t tx_stack[NET_POOL_MAX_BUFFERS];
static unsigned tx_available;
static uint64_t echoed, arp_replies, ignored;

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static void copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
    while (n--)
        *dst++ = *src++;
}

static bool same(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    while (n--)
        if (*a++ != *b++)
            return false;
    return true;
}

/* A buffer of either pool (descriptors carry DMA addresses). */
static uint8_t *buffer_at(uint64_t dma)
{
    const struct net_pool_config *pool = dma >= config->tx.base ? &config->tx : &config->rx;
    return (uint8_t *)(uintptr_t)(pool->vaddr + (dma - pool->base));
}

static uint16_t ip_checksum(const uint8_t *header, unsigned length)
{
    uint32_t sum = 0;
    for (unsigned i = 0; i < length; i += 2)
        sum += get16(header + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Turn a received frame (copied into out) into its reply; 0 if none. */
static uint32_t arp_reply(uint8_t *out, uint32_t length)
{
    uint8_t *arp = out + NET_ETH_HEADER;
    if (length < NET_ETH_HEADER + 28 || get16(arp + 6) != 1 || !same(arp + 24, config->ip, 4))
        return 0;
    put16(arp + 6, 2);
    copy(arp + 18, arp + 8, 10); /* requester becomes target */
    copy(arp + 8, config->mac, 6);
    copy(arp + 14, config->ip, 4);
    arp_replies++;
    return NET_ETH_HEADER + 28;
}

static uint32_t udp_echo(uint8_t *out, uint32_t length)
{
    uint8_t *ip = out + NET_ETH_HEADER;
    if (length < NET_ETH_HEADER + 28 || (ip[0] >> 4) != 4 || ip[9] != IP_UDP || !same(ip + 16, config->ip, 4))
        return 0;
    unsigned ihl = (ip[0] & 15u) * 4, total = get16(ip + 2);
    uint8_t *udp = ip + ihl;
    if (ihl < 20 || total > length - NET_ETH_HEADER || total < ihl + 8 || get16(udp + 2) != ECHO_PORT ||
        get16(udp + 4) != total - ihl)
        return 0;
    uint8_t tmp[4];
    copy(tmp, ip + 12, 4); /* swap addresses and ports */
    copy(ip + 12, ip + 16, 4);
    copy(ip + 16, tmp, 4);
    copy(tmp, udp, 2);
    copy(udp, udp + 2, 2);
    copy(udp + 2, tmp, 2);
    put16(udp + 6, 0); /* no UDP checksum: allowed over IPv4 */
    ip[8] = 64;
    put16(ip + 10, 0);
    put16(ip + 10, ip_checksum(ip, ihl));
    echoed++;
    return NET_ETH_HEADER + total;
}

/* A frame net_frame_check passed: a whole Ethernet header at least. */
static void answer(const uint8_t *frame, uint32_t length)
{
    uint64_t dma = tx_stack[tx_available - 1];
    uint8_t *out = buffer_at(dma);
    copy(out, frame, length);
    uint16_t type = get16(frame + 12);
    uint32_t reply = type == ETH_ARP ? arp_reply(out, length)
                   : type == ETH_IPV4 ? udp_echo(out, length) : 0;
    if (!reply) {
        ignored++;
        return;
    }
    copy(out, frame + 6, 6); /* back to the sender */
    copy(out + 6, config->mac, 6);
    if (net_enqueue(&tx_active, (struct net_desc){dma, reply, 0}))
        tx_available--;
}

/* Transmit buffers come back from the driver; only ones from our transmit
 * part of the region are taken (a receive buffer must never end up here).
 * The driver returns them on demand (net/queue.h): out of buffers, ask for
 * a signal and tell the driver. */
static void reclaim_tx(void)
{
    const uint64_t tx_base = config->tx.base;
    struct net_desc desc;
    do {
        while (tx_available < TX_BUFFERS && net_dequeue(&tx_free, &desc) == 1)
            if (net_empty_check(desc, tx_base, TX_BUFFERS * NET_BUFFER_SIZE) != NET_DESC_NO_BUFFER)
                tx_stack[tx_available++] = desc.offset;
    } while (!tx_available && !ring_consumer_may_sleep(&tx_free));
    if (!tx_available)
        microkit_deferred_notify(DRIVER_TX);
}

/* Takes frames only while a transmit buffer is free: without one, frames
 * stay queued (back-pressure to the device) rather than being dropped. */
static void receive(void)
{
    struct net_desc desc;
    do {
        while (tx_available && net_dequeue(&rx_active, &desc) == 1) {
            enum net_verdict verdict = net_frame_check(desc, config->rx.base, RX_BUFFERS * NET_BUFFER_SIZE);
            if (verdict == NET_DESC_OK)
                answer(buffer_at(desc.offset), desc.length);
            if (verdict != NET_DESC_NO_BUFFER) /* ours, even if the frame is not */
                net_enqueue(&rx_free, (struct net_desc){desc.offset, 0, 0});
        }
    } while (tx_available && !ring_consumer_may_sleep(&rx_active));
}

void init(void)
{
    config = pride_config(&net_client_config);
    ring_producer_attach(&rx_free, net_queue_at(config->rx_free), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&rx_active, net_queue_at(config->rx_active), NET_QUEUE_CAPACITY);
    ring_producer_attach(&tx_active, net_queue_at(config->tx_active), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&tx_free, net_queue_at(config->tx_free), NET_QUEUE_CAPACITY);
    ring_consumer_request_signal(&rx_active); /* before any frame can arrive */
    for (unsigned i = 0; i < RX_BUFFERS; i++)
        net_enqueue(&rx_free, (struct net_desc){config->rx.base + i * NET_BUFFER_SIZE, 0, 0});
    for (unsigned i = 0; i < TX_BUFFERS && i < NET_POOL_MAX_BUFFERS; i++)
        tx_stack[tx_available++] = config->tx.base + i * NET_BUFFER_SIZE;
    microkit_deferred_notify(DRIVER_RX);
    microkit_dbg_puts("raw_echo: ready\n");
}

/* Before sleeping, every queue this PD waits on must have its signal
 * requested: rx_active while it has transmit buffers, tx_free (and the
 * driver told) while it has none. receive() uses buffers up, so reclaim
 * after it, and receive again whenever reclaiming brought buffers back. */
void notified(microkit_channel ch)
{
    unsigned before;
    do {
        receive();
        before = tx_available;
        reclaim_tx();
    } while (tx_available != before);
    if (ring_producer_must_signal(&rx_free))
        microkit_deferred_notify(DRIVER_RX);
    if (ring_producer_must_signal(&tx_active))
        microkit_deferred_notify(DRIVER_TX);
    (void)ch;
}

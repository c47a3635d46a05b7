/* lwIP network interface over Pride's net queues (pride_netif.h). Every
 * descriptor the neighbour hands over is checked against this client's own
 * region (net/queue.h); a bad one is dropped and counted, and so is a
 * neighbour's impossible queue index (pride/stats.h). */
#include <pride_netif.h>
#include <string.h>
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

static uint8_t *buffer_at(uint64_t vaddr, uint64_t base, uint64_t desc_offset)
{
    return (uint8_t *)(uintptr_t)(vaddr + (desc_offset - base));
}

void pride_netif_setup(struct pride_netif *pn, const struct net_client_config *c)
{
    *pn = (struct pride_netif){
        .rx_buffers_vaddr = c->rx.vaddr, .rx_buffers_base = c->rx.base,
        .rx_buffers = c->rx.buffers <= NET_POOL_MAX_BUFFERS ? c->rx.buffers : 0,
        .tx_buffers_vaddr = c->tx.vaddr, .tx_buffers_base = c->tx.base,
        .tx_buffers = c->tx.buffers <= NET_POOL_MAX_BUFFERS ? c->tx.buffers : 0,
        .rx_channel = NET_CLIENT_RX_CH, .tx_channel = NET_CLIENT_TX_CH,
        .stats = {.unit = PRIDE_STATS_FRAMES},
    };
    memcpy(pn->mac, c->mac, sizeof(pn->mac));
    ring_producer_attach(&pn->rx_free, net_queue_at(c->rx_free), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&pn->rx_active, net_queue_at(c->rx_active), NET_QUEUE_CAPACITY);
    ring_producer_attach(&pn->tx_active, net_queue_at(c->tx_active), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&pn->tx_free, net_queue_at(c->tx_free), NET_QUEUE_CAPACITY);
    /* Ask for frames before giving out the buffers they need, so that no
     * frame can arrive unannounced. */
    ring_consumer_request_signal(&pn->rx_active);
    for (uint32_t i = 0; i < pn->rx_buffers; i++)
        net_give(&pn->rx_free, (struct net_desc){pn->rx_buffers_base + i * NET_BUFFER_SIZE, 0, 0},
                 &pn->stats.bad_idx);
    for (uint32_t i = 0; i < pn->tx_buffers && i < PRIDE_NETIF_MAX_TX; i++)
        pn->tx_stack[pn->tx_available++] = pn->tx_buffers_base + i * NET_BUFFER_SIZE;
    microkit_deferred_notify(pn->rx_channel);
}

static uint64_t rx_region_size(const struct pride_netif *pn)
{
    return (uint64_t)pn->rx_buffers * NET_BUFFER_SIZE;
}

static uint64_t tx_region_size(const struct pride_netif *pn)
{
    return (uint64_t)pn->tx_buffers * NET_BUFFER_SIZE;
}

static uint32_t tx_low_water(const struct pride_netif *pn)
{
    return pn->tx_buffers / 4 + 1;
}

/* Take back transmit buffers. Running short, ask the neighbour for more
 * and tell it so: it returns them only on demand (net/queue.h). */
static void reclaim_tx(struct pride_netif *pn)
{
    const uint32_t low_water = tx_low_water(pn);
    struct net_desc desc;
    bool short_of_buffers;
    do {
        while (net_take(&pn->tx_free, &desc, &pn->stats.bad_idx)) {
            if (!net_empty_taken(desc, pn->tx_buffers_base, tx_region_size(pn), &pn->stats.bad_desc))
                continue;
            if (pn->tx_available < PRIDE_NETIF_MAX_TX)
                pn->tx_stack[pn->tx_available++] = desc.offset;
            else
                pn->stats.bad_desc++; /* more than we have: returned twice */
        }
        short_of_buffers = pn->tx_available < low_water;
    } while (short_of_buffers && !ring_consumer_may_sleep(&pn->tx_free));
    if (short_of_buffers)
        microkit_deferred_notify(pn->tx_channel);
}

static err_t link_output(struct netif *netif, struct pbuf *p)
{
    struct pride_netif *pn = netif->state;
    if (!pn->tx_available)
        reclaim_tx(pn);
    if (!pn->tx_available || !net_frame_length_valid(p->tot_len)) {
        pn->stats.drops++; /* lwIP's TCP retransmits; UDP is best effort */
        return ERR_MEM;
    }
    uint64_t dma = pn->tx_stack[--pn->tx_available];
    pbuf_copy_partial(p, buffer_at(pn->tx_buffers_vaddr, pn->tx_buffers_base, dma), p->tot_len, 0);
    net_give(&pn->tx_active, (struct net_desc){dma, p->tot_len, 0}, &pn->stats.bad_idx);
    if (ring_producer_must_signal(&pn->tx_active))
        microkit_deferred_notify(pn->tx_channel);
    /* Whoever made lwIP send (a received frame, a timer), ask for buffers
     * as soon as we run short, not only once out of them. */
    if (pn->tx_available < tx_low_water(pn))
        reclaim_tx(pn);
    return ERR_OK;
}

err_t pride_netif_init(struct netif *netif)
{
    struct pride_netif *pn = netif->state;
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, pn->mac, ETH_HWADDR_LEN);
    netif->mtu = NET_MTU;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
                   NETIF_FLAG_LINK_UP;
    netif->output = etharp_output;
    netif->linkoutput = link_output;
    return ERR_OK;
}

/* A received frame in a pbuf, or NULL if it is bad or lwIP has no room
 * (counted either way). */
static struct pbuf *frame_to_pbuf(struct pride_netif *pn, struct net_desc desc, enum net_verdict verdict)
{
    if (verdict != NET_DESC_OK) {
        pn->stats.bad_desc++;
        return NULL;
    }
    struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)desc.length, PBUF_POOL);
    if (!p) {
        pn->stats.drops++;
        return NULL;
    }
    pbuf_take(p, buffer_at(pn->rx_buffers_vaddr, pn->rx_buffers_base, desc.offset), (u16_t)desc.length);
    return p;
}

static void receive(struct netif *netif)
{
    struct pride_netif *pn = netif->state;
    struct net_desc desc;
    do {
        while (net_take(&pn->rx_active, &desc, &pn->stats.bad_idx)) {
            enum net_verdict verdict = net_frame_check(desc, pn->rx_buffers_base, rx_region_size(pn));
            if (verdict == NET_DESC_NO_BUFFER) {
                pn->stats.bad_desc++; /* not one of ours: never touch it, never return it */
                continue;
            }
            struct pbuf *p = frame_to_pbuf(pn, desc, verdict);
            net_give(&pn->rx_free, (struct net_desc){desc.offset, 0, 0}, &pn->stats.bad_idx);
            if (p && netif->input(p, netif) != ERR_OK)
                pbuf_free(p);
        }
    } while (!ring_consumer_may_sleep(&pn->rx_active));
    if (ring_producer_must_signal(&pn->rx_free))
        microkit_deferred_notify(pn->rx_channel);
}

void pride_netif_notified(struct netif *netif)
{
    reclaim_tx(netif->state);
    receive(netif); /* link_output reclaims again if sending leaves us short */
}

void pride_netif_hold(const struct pride_netif *pn, struct net_holdings *h)
{
    if (h->query.kind == NET_POOL_CLIENT_RX) {
        net_hold_waiting(h, &pn->rx_active, pn->rx_buffers_base);
    } else if (h->query.kind == NET_POOL_TX) {
        for (uint32_t i = 0; i < pn->tx_available; i++)
            net_hold(h, pn->tx_stack[i], pn->tx_buffers_base);
        net_hold_waiting(h, &pn->tx_free, pn->tx_buffers_base);
    }
}

/* Frames received and sent, as the queues' own indices count them. */
const struct pride_stats *pride_netif_stats(struct pride_netif *pn)
{
    pn->stats.passed = (uint64_t)pn->rx_active.head + pn->tx_active.tail;
    return &pn->stats;
}

bool pride_netif_uses_dhcp(const struct net_client_config *c)
{
    return !(c->ip[0] | c->ip[1] | c->ip[2] | c->ip[3]);
}

void pride_netif_add(struct pride_netif *pn, struct netif *netif,
                     const struct net_client_config *c)
{
    ip4_addr_t ip, mask, gateway;
    pride_netif_setup(pn, c);
    IP4_ADDR(&ip, c->ip[0], c->ip[1], c->ip[2], c->ip[3]);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gateway, 10, 0, 2, 2);
    if (pride_netif_uses_dhcp(c)) {
        ip4_addr_set_zero(&mask);
        ip4_addr_set_zero(&gateway);
    }
    netif_add(netif, &ip, &mask, &gateway, pn, pride_netif_init, ethernet_input);
    netif_set_default(netif);
}

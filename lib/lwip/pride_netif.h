/*
 * An lwIP network interface over Pride's net queues (include/net/queue.h):
 * received frames are copied into pbufs and handed to lwIP; lwIP's frames
 * are copied into transmit buffers. The PD calls pride_netif_setup() with
 * its config (net/config.h), adds
 * the netif with pride_netif_init as its init function, and calls
 * pride_netif_notified() whenever its RX or TX channel is notified.
 * pride_netif_hold() answers buffer accounting (net/accounting.h) with
 * the interface's buffers, and pride_netif_stats() the statistics query
 * (pride/stats.h) with its counters.
 */
#ifndef PRIDE_NETIF_H
#define PRIDE_NETIF_H

#include <stdint.h>
#include <microkit.h>
#include <net/accounting.h>
#include <net/config.h>
#include "lwip/netif.h"

#define PRIDE_NETIF_MAX_TX 128

struct pride_netif {
    /* Configuration, from the PD's config. Receive and transmit buffers:
     * where they are mapped here, and the
     * descriptor value of the first one (a DMA address when the neighbour
     * is the driver, an offset when it is a copier or virtualiser). */
    uint64_t rx_buffers_vaddr, rx_buffers_base;
    uint64_t tx_buffers_vaddr, tx_buffers_base;
    uint32_t rx_buffers, tx_buffers;
    microkit_channel rx_channel, tx_channel;
    uint8_t mac[6];

    /* State. */
    struct ring_producer rx_free, tx_active;
    struct ring_consumer rx_active, tx_free;
    uint64_t tx_stack[PRIDE_NETIF_MAX_TX];
    uint32_t tx_available;
    struct pride_stats stats; /* passed: frames received and sent */
};

void pride_netif_setup(struct pride_netif *pn, const struct net_client_config *config);
/* pride_netif_setup, then netif added over pn and made the default, at the
 * config's address on QEMU's user network (a /24, gateway 10.0.2.2), or
 * with none yet if the config's is 0.0.0.0 (DHCP's to give). */
void pride_netif_add(struct pride_netif *pn, struct netif *netif,
                     const struct net_client_config *config);
/* Does the config leave the address to DHCP? */
bool pride_netif_uses_dhcp(const struct net_client_config *config);
err_t pride_netif_init(struct netif *netif); /* netif->state is the pride_netif */
void pride_netif_notified(struct netif *netif);
/* Marks the buffers of h's pool this interface holds or has waiting for it. */
void pride_netif_hold(const struct pride_netif *pn, struct net_holdings *h);
const struct pride_stats *pride_netif_stats(struct pride_netif *pn);

#endif

/*
 * Network config structs (pride/config.h): what the driver, the
 * virtualisers, the copiers, the clients and the accounting PD learn about
 * their system, all filled by `pride build` from the system's <net>
 * element (docs/tool.md). Addresses named "vaddr" are where this PD maps a
 * region or queue; a pool's "base" is the descriptor value of its first
 * buffer: its DMA address where the neighbour is the driver or works in
 * DMA addresses, 0 where descriptors carry offsets into the pool.
 *
 * Channel ids are fixed by role (below), so components and the tool agree
 * on them without a table. Fixed-width fields only, no padding left
 * implicit: the tool (on the host) writes what the PDs read.
 */
#ifndef NET_CONFIG_H
#define NET_CONFIG_H

#include <stdint.h>
#include <pride/config.h>
#include <net/holdings.h> /* NET_POOL_MAX_BUFFERS: a queue takes a whole pool */

#define NET_CONFIG_VERSION 1
#define NET_DRIVER_MAGIC 0x4e455444u   /* "NETD" */
#define NET_VIRT_RX_MAGIC 0x4e455452u  /* "NETR" */
#define NET_VIRT_TX_MAGIC 0x4e455454u  /* "NETT" */
#define NET_COPIER_MAGIC 0x4e455443u   /* "NETC" */
#define NET_CLIENT_MAGIC 0x4e45544cu   /* "NETL" */
#define NET_ACCOUNT_MAGIC 0x4e455441u  /* "NETA" */

#define NET_MAX_CLIENTS 8         /* the RX virtualiser's holders are a byte */
#define NET_DMA_WINDOW_SIZE 0x200000 /* the driver tracks each buffer in it */
#define NET_DMA_WINDOW_BUFFERS (NET_DMA_WINDOW_SIZE / NET_BUFFER_SIZE)
#define NET_DRIVER_RINGS_SIZE 0x4000 /* the driver's virtqueues and headers */
#define NET_NAME_SIZE 32          /* a client's name as the accounting prints it */

/* Channels by role. The driver: its IRQ, the RX and TX neighbours (the
 * virtualisers, or a single client), then the accounting PD. The
 * virtualisers: the driver, then client (or copier) i at 1 + i; the
 * copiers: the RX virtualiser and the client. A client: its RX and TX
 * neighbours and the accounting PD (0 is left to the timer). Any PD's
 * statistics channel: NET_STATS_CH, or the driver's. The accounting PD's
 * own channels are in net/holdings.h. */
#define NET_DRIVER_IRQ_CH 0
#define NET_DRIVER_RX_CH 1
#define NET_DRIVER_TX_CH 2
#define NET_DRIVER_STATS_CH 3
#define NET_VIRT_DRIVER_CH 0
#define NET_VIRT_FIRST_CLIENT_CH 1
#define NET_COPIER_VIRT_CH 0
#define NET_COPIER_CLIENT_CH 1
#define NET_CLIENT_RX_CH 1
#define NET_CLIENT_TX_CH 2
#define NET_CLIENT_STATS_CH 3
#define NET_STATS_CH 9

struct net_pool_config {
    uint64_t vaddr;   /* 0: not mapped by this PD */
    uint64_t base;    /* descriptor value of the first buffer */
    uint32_t buffers; /* NET_BUFFER_SIZE each */
    uint32_t reserved;
};

struct net_driver_config {
    struct pride_config_header header;
    uint64_t mmio_vaddr;  /* a page of virtio-mmio slots */
    uint64_t rings_vaddr; /* driver-private DMA memory */
    uint64_t rings_paddr;
    uint64_t dma_base; /* the window every buffer address must lie in */
    uint64_t dma_size;
    uint64_t rx_free, rx_active, tx_active, tx_free; /* queue vaddrs */
};

struct net_virt_rx_client {
    uint64_t to_copier, from_copier; /* queue vaddrs */
    uint8_t mac[6];
    uint8_t reserved[2];
};

struct net_virt_rx_config {
    struct pride_config_header header;
    uint32_t clients;
    uint32_t reserved;
    struct net_pool_config rx; /* the shared RX DMA buffers, mapped read-only */
    uint64_t driver_free, driver_active;
    struct net_virt_rx_client client[NET_MAX_CLIENTS];
};

struct net_virt_tx_client {
    uint64_t to_client, from_client; /* queue vaddrs */
    struct net_pool_config tx;       /* not mapped: base is its DMA address */
};

struct net_virt_tx_config {
    struct pride_config_header header;
    uint32_t clients;
    uint32_t reserved;
    uint64_t driver_active, driver_free;
    struct net_virt_tx_client client[NET_MAX_CLIENTS];
};

struct net_copier_config {
    struct pride_config_header header;
    struct net_pool_config rx;     /* the shared RX DMA buffers, read-only */
    struct net_pool_config client; /* the client's receive buffers */
    uint64_t virt_active, virt_free, client_free, client_active; /* queue vaddrs */
};

struct net_client_config {
    struct pride_config_header header;
    uint8_t mac[6];
    uint8_t ip[4]; /* 0.0.0.0: obtained by DHCP */
    uint8_t reserved[6];
    struct net_pool_config rx, tx;
    uint64_t rx_free, rx_active, tx_active, tx_free; /* queue vaddrs */
};

struct net_account_client {
    char name[NET_NAME_SIZE];
    uint64_t tx_base; /* DMA address of its transmit region */
};

struct net_account_config {
    struct pride_config_header header;
    uint32_t clients;
    uint32_t client_buffers; /* in each client's receive and transmit region */
    uint64_t rx_base;        /* DMA address of the shared RX buffers */
    uint32_t rx_buffers;
    uint32_t reserved;
    struct net_account_client client[NET_MAX_CLIENTS];
};

_Static_assert(sizeof(struct net_pool_config) == 24, "no implicit padding");
_Static_assert(sizeof(struct net_driver_config) == 80, "no implicit padding");
_Static_assert(sizeof(struct net_virt_rx_config) == 56 + 24 * NET_MAX_CLIENTS, "no implicit padding");
_Static_assert(sizeof(struct net_virt_tx_config) == 32 + 40 * NET_MAX_CLIENTS, "no implicit padding");
_Static_assert(sizeof(struct net_copier_config) == 88, "no implicit padding");
_Static_assert(sizeof(struct net_client_config) == 104, "no implicit padding");
_Static_assert(sizeof(struct net_account_config) == 32 + 40 * NET_MAX_CLIENTS, "no implicit padding");

static inline struct ring_shared *net_queue_at(uint64_t vaddr)
{
    return (struct ring_shared *)(uintptr_t)vaddr;
}

#endif

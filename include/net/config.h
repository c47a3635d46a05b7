/*
 * Network configuration of a system. A system directory provides
 * net_config.h, which includes this header and defines
 *     static const struct net_client_config net_clients[] = {...};
 * in client order (client i is channel 1+i of each virtualiser), plus the
 * region sizes below. Components that include net_config.h are compiled
 * for each system that uses them.
 *
 * Queue regions shared by a virtualiser with its clients are mapped
 * contiguously there: client i's pair at base + i * NET_QUEUE_PAIR_SIZE,
 * the queue the virtualiser produces first, then the one it consumes.
 */
#ifndef NET_CONFIG_H_TYPES
#define NET_CONFIG_H_TYPES

#include <stdint.h>
#include <net/queue.h>

struct net_client_config {
    const char *name; /* the client PD's name */
    uint8_t mac[6];
    uint8_t ip[4]; /* 0.0.0.0: obtained by DHCP */
    uint16_t udp_port, tcp_port;
};

#define NET_QUEUE_PAIR_SIZE (2 * NET_QUEUE_REGION_SIZE)
#define NET_MAX_CLIENTS 8

static inline struct ring_shared *net_pair_produced(uint64_t base, unsigned client)
{
    return (struct ring_shared *)(uintptr_t)(base + (uint64_t)client * NET_QUEUE_PAIR_SIZE);
}

static inline struct ring_shared *net_pair_consumed(uint64_t base, unsigned client)
{
    return (struct ring_shared *)(uintptr_t)(base + (uint64_t)client * NET_QUEUE_PAIR_SIZE +
                                              NET_QUEUE_REGION_SIZE);
}

/* A virtualiser's side of its clients' queue pairs, mapped from base. */
static inline void net_pairs_attach(uint64_t base, unsigned clients, struct ring_producer *produced,
                                    struct ring_consumer *consumed)
{
    for (unsigned i = 0; i < clients; i++) {
        ring_producer_attach(&produced[i], net_pair_produced(base, i), NET_QUEUE_CAPACITY);
        ring_consumer_attach(&consumed[i], net_pair_consumed(base, i), NET_QUEUE_CAPACITY);
    }
}

#endif

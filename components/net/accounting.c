/*
 * Network buffer accounting: when notified (a client passes on a request
 * from the host), asks every PD it has a protected channel to for its
 * buffer counts (net/accounting.h), prints each answer, and checks that
 * the sums are exactly the system's buffers: the shared RX DMA buffers, and
 * every client's receive and transmit buffers (net_config.h).
 *
 * It runs at the lowest priority, so every other PD is between events when
 * asked; counts taken while frames are still moving can be off by the
 * frames in motion, so ask when the network is quiet. Built per system.
 */
#include <microkit.h>
#include <pride_debug.h>
#include <net/accounting.h>
#include <net/config.h>
#include "net_config.h"

#define NUM_CLIENTS (sizeof(net_clients) / sizeof(net_clients[0]))
#define CLIENT_BUFFERS (NET_CLIENT_REGION_SIZE / NET_BUFFER_SIZE)

static const char *const pool_names[NET_POOLS] = {"rx_dma", "client_rx", "tx"};
static const uint64_t pool_sizes[NET_POOLS] = {
    NET_RX_DMA_SIZE / NET_BUFFER_SIZE, NUM_CLIENTS * CLIENT_BUFFERS, NUM_CLIENTS * CLIENT_BUFFERS};

static void print_counts(const uint64_t *counts, const uint64_t *of)
{
    for (unsigned i = 0; i < NET_POOLS; i++) {
        microkit_dbg_puts(i ? ", " : " ");
        microkit_dbg_puts(pool_names[i]);
        microkit_dbg_puts(" ");
        pride_dbg_put_dec(counts[i]);
        if (of) {
            microkit_dbg_puts(" of ");
            pride_dbg_put_dec(of[i]);
        }
    }
}

static void report(void)
{
    struct net_account total = {0};
    bool complete = true;
    for (uint64_t pps = microkit_pps; pps; pps &= pps - 1) {
        microkit_channel ch = (microkit_channel)__builtin_ctzll(pps);
        struct net_account a;
        microkit_dbg_puts("net: buffers:");
        if (!net_account_call(ch, &a)) {
            microkit_dbg_puts(" channel ");
            pride_dbg_put_dec(ch);
            microkit_dbg_puts(" did not answer\n");
            complete = false;
            continue;
        }
        microkit_dbg_puts(" ");
        microkit_dbg_puts(a.name);
        print_counts(a.buffers, 0);
        microkit_dbg_puts("\n");
        for (unsigned i = 0; i < NET_POOLS; i++)
            total.buffers[i] += a.buffers[i];
    }
    for (unsigned i = 0; i < NET_POOLS; i++)
        complete &= total.buffers[i] == pool_sizes[i];
    microkit_dbg_puts("net: buffers in all:");
    print_counts(total.buffers, pool_sizes);
    microkit_dbg_puts(complete ? ": all accounted for\n" : ": NOT all accounted for\n");
}

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
    report();
}

/*
 * The DMA addresses of the clients' transmit regions, for the programs that
 * translate or account for them (the TX virtualiser, the accounting PD).
 * A system's .system file patches clientN_tx_paddr by setvar region_paddr
 * for each of its clients. This header defines those variables, so a
 * program includes it in one file only.
 */
#ifndef NET_TX_REGIONS_H
#define NET_TX_REGIONS_H

#include <stdint.h>

#define NET_TX_REGIONS 4 /* clients a system may have */

uint64_t client0_tx_paddr, client1_tx_paddr, client2_tx_paddr, client3_tx_paddr;

static const uint64_t *const net_tx_region_paddr[NET_TX_REGIONS] = {
    &client0_tx_paddr, &client1_tx_paddr, &client2_tx_paddr, &client3_tx_paddr};

#endif

/*
 * Network buffer accounting. Every buffer of a system is either held by one
 * PD or waiting in one queue, and every queue has exactly one consumer. So
 * if each PD reports the buffers it holds plus those waiting in the queues
 * it consumes, the reports add up to every buffer exactly once. A PD
 * answers a protected call with label NET_ACCOUNT_LABEL with its counts per
 * pool (message word i = pool i), then its name; the accounting PD
 * (components/net/accounting.c) calls them all and checks the sums.
 *
 * Pools: the shared RX DMA buffers (counted where they are while copiers
 * hold them: by the RX virtualiser, which tracks them, since a broadcast is
 * held by several copiers at once); all clients' receive buffers; all
 * clients' transmit buffers.
 */
#ifndef NET_ACCOUNTING_H
#define NET_ACCOUNTING_H

#include <stdbool.h>
#include <microkit.h>
#include <net/queue.h>

#define NET_ACCOUNT_LABEL 0x4e41

enum net_pool { NET_POOL_RX_DMA, NET_POOL_CLIENT_RX, NET_POOL_TX, NET_POOLS };

#define NET_ACCOUNT_NAME_WORDS 2 /* the first 16 characters of the PD's name */

struct net_account {
    uint64_t buffers[NET_POOLS];
    char name[8 * NET_ACCOUNT_NAME_WORDS + 1]; /* filled in by net_account_call */
};

/* Descriptors waiting for this consumer (a corrupt queue counts none). */
static inline uint64_t net_waiting(const struct ring_consumer *c)
{
    int64_t n = ring_consumer_available(c);
    return n > 0 ? (uint64_t)n : 0;
}

/* protected()'s answer to msginfo: the counts if it asks for them. */
static inline microkit_msginfo net_account_answer(microkit_msginfo msginfo, const struct net_account *a)
{
    if (microkit_msginfo_get_label(msginfo) != NET_ACCOUNT_LABEL)
        return microkit_msginfo_new(0, 0);
    for (unsigned i = 0; i < NET_POOLS; i++)
        microkit_mr_set((uint8_t)i, a->buffers[i]);
    for (unsigned w = 0; w < NET_ACCOUNT_NAME_WORDS; w++) {
        uint64_t word = 0;
        for (unsigned c = 0; c < 8 && 8 * w + c < MICROKIT_PD_NAME_LENGTH; c++)
            word |= (uint64_t)(uint8_t)microkit_name[8 * w + c] << (8 * c);
        microkit_mr_set((uint8_t)(NET_POOLS + w), word);
    }
    return microkit_msginfo_new(NET_ACCOUNT_LABEL, NET_POOLS + NET_ACCOUNT_NAME_WORDS);
}

/* Asks the PD at the other end of ch; false if it did not answer in kind. */
static inline bool net_account_call(microkit_channel ch, struct net_account *a)
{
    microkit_msginfo reply = microkit_ppcall(ch, microkit_msginfo_new(NET_ACCOUNT_LABEL, 0));
    if (microkit_msginfo_get_label(reply) != NET_ACCOUNT_LABEL ||
        microkit_msginfo_get_count(reply) != NET_POOLS + NET_ACCOUNT_NAME_WORDS)
        return false;
    for (unsigned i = 0; i < NET_POOLS; i++)
        a->buffers[i] = microkit_mr_get((uint8_t)i);
    for (unsigned c = 0; c < 8 * NET_ACCOUNT_NAME_WORDS; c++)
        a->name[c] = (char)(microkit_mr_get((uint8_t)(NET_POOLS + c / 8)) >> (8 * (c % 8)));
    a->name[8 * NET_ACCOUNT_NAME_WORDS] = 0;
    return true;
}

#endif

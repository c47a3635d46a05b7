/*
 * Network buffer accounting over protected calls (the sets and the check:
 * net/holdings.h). The accounting PD calls every network PD with label
 * NET_ACCOUNT_LABEL and a query (net_query, NET_ACCOUNT_QUERY_WORDS message
 * words), and each answers from protected() with net_account_answer(): the
 * set of the pool's buffers it holds, one bit per buffer. The same
 * function answers the statistics query (pride/stats.h) from the PD's
 * counters.
 */
#ifndef NET_ACCOUNTING_H
#define NET_ACCOUNTING_H

#include <stdbool.h>
#include <microkit.h>
#include <net/holdings.h>
#include <pride/stats.h>

#define NET_ACCOUNT_LABEL 0x4e41
#define NET_ACCOUNT_QUERY_WORDS 4 /* kind, client, base, buffers */

static inline unsigned net_set_words(uint32_t buffers)
{
    return (buffers + 63) / 64;
}

/* protected()'s answer to msginfo: stats for a statistics query; for a
 * buffer query, hold marks, in h->set, the buffers of h->query's pool the
 * PD holds or has waiting in queues it consumes (it leaves the set empty
 * for pools the PD never holds). */
static inline microkit_msginfo net_account_answer(microkit_msginfo msginfo,
                                                  void (*hold)(struct net_holdings *h),
                                                  const struct pride_stats *stats)
{
    if (pride_stats_asked(msginfo))
        return pride_stats_reply(stats);
    if (microkit_msginfo_get_label(msginfo) != NET_ACCOUNT_LABEL ||
        microkit_msginfo_get_count(msginfo) != NET_ACCOUNT_QUERY_WORDS)
        return microkit_msginfo_new(0, 0);
    struct net_holdings h = {.query = {(uint32_t)microkit_mr_get(0), (uint32_t)microkit_mr_get(1),
                                       microkit_mr_get(2), (uint32_t)microkit_mr_get(3)}};
    if (h.query.kind >= NET_POOL_KINDS || h.query.buffers > NET_POOL_MAX_BUFFERS)
        return microkit_msginfo_new(0, 0);
    hold(&h);
    for (unsigned w = 0; w < net_set_words(h.query.buffers); w++)
        microkit_mr_set((uint8_t)w, h.set.bits[w]);
    return microkit_msginfo_new(NET_ACCOUNT_LABEL, net_set_words(h.query.buffers));
}

/* Asks the PD at the other end of ch which of q's buffers it holds; false
 * if it did not answer in kind. */
static inline bool net_account_ask(microkit_channel ch, const struct net_query *q,
                                   struct net_set *answer)
{
    microkit_mr_set(0, q->kind);
    microkit_mr_set(1, q->client);
    microkit_mr_set(2, q->base);
    microkit_mr_set(3, q->buffers);
    microkit_msginfo reply =
        microkit_ppcall(ch, microkit_msginfo_new(NET_ACCOUNT_LABEL, NET_ACCOUNT_QUERY_WORDS));
    unsigned words = net_set_words(q->buffers);
    if (microkit_msginfo_get_label(reply) != NET_ACCOUNT_LABEL ||
        microkit_msginfo_get_count(reply) != words)
        return false;
    for (unsigned w = 0; w < words; w++)
        answer->bits[w] = microkit_mr_get((uint8_t)w);
    if (q->buffers % 64) /* bits past the pool are no buffers of it */
        answer->bits[words - 1] &= (1ull << (q->buffers % 64)) - 1;
    return true;
}

#endif

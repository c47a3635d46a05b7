/*
 * Network buffer accounting over protected calls (the sets and the check:
 * net/holdings.h). The accounting PD calls every network PD with label
 * NET_ACCOUNT_LABEL and a query (net_query, NET_ACCOUNT_QUERY_WORDS message
 * words), and each answers from protected() with net_account_answer():
 * either the set of the pool's buffers it holds, one bit per buffer, or,
 * for NET_ACCOUNT_COUNTERS, its counters of bad descriptors and dropped
 * frames and its name.
 */
#ifndef NET_ACCOUNTING_H
#define NET_ACCOUNTING_H

#include <stdbool.h>
#include <microkit.h>
#include <net/holdings.h>

#define NET_ACCOUNT_LABEL 0x4e41
#define NET_ACCOUNT_COUNTERS NET_POOL_KINDS /* the query kind asking for the counters */
#define NET_ACCOUNT_QUERY_WORDS 4           /* kind, client, base, buffers */
#define NET_ACCOUNT_NAME_WORDS 2            /* the first 16 characters of the PD's name */
#define NET_ACCOUNT_NAME_SIZE (8 * NET_ACCOUNT_NAME_WORDS + 1)

/* What went wrong at a PD, as it counts it. */
struct net_counters {
    uint64_t bad_descriptors; /* rejected by net_frame_check / net_empty_check, or not ours */
    uint64_t dropped_frames;  /* valid, but with nowhere to go */
};
#define NET_ACCOUNT_COUNTER_WORDS 2

static inline unsigned net_set_words(uint32_t buffers)
{
    return (buffers + 63) / 64;
}

static inline microkit_msginfo net_account_counters_reply(const struct net_counters *c)
{
    microkit_mr_set(0, c->bad_descriptors);
    microkit_mr_set(1, c->dropped_frames);
    for (unsigned w = 0; w < NET_ACCOUNT_NAME_WORDS; w++) {
        uint64_t word = 0;
        for (unsigned i = 0; i < 8 && 8 * w + i < MICROKIT_PD_NAME_LENGTH; i++)
            word |= (uint64_t)(uint8_t)microkit_name[8 * w + i] << (8 * i);
        microkit_mr_set((uint8_t)(NET_ACCOUNT_COUNTER_WORDS + w), word);
    }
    return microkit_msginfo_new(NET_ACCOUNT_LABEL, NET_ACCOUNT_COUNTER_WORDS + NET_ACCOUNT_NAME_WORDS);
}

/* protected()'s answer to msginfo. hold marks, in h->set, the buffers of
 * h->query's pool the PD holds or has waiting in queues it consumes; it
 * leaves the set empty for pools the PD never holds. */
static inline microkit_msginfo net_account_answer(microkit_msginfo msginfo,
                                                  void (*hold)(struct net_holdings *h),
                                                  const struct net_counters *counters)
{
    if (microkit_msginfo_get_label(msginfo) != NET_ACCOUNT_LABEL ||
        microkit_msginfo_get_count(msginfo) != NET_ACCOUNT_QUERY_WORDS)
        return microkit_msginfo_new(0, 0);
    struct net_holdings h = {.query = {(uint32_t)microkit_mr_get(0), (uint32_t)microkit_mr_get(1),
                                       microkit_mr_get(2), (uint32_t)microkit_mr_get(3)}};
    if (h.query.kind == NET_ACCOUNT_COUNTERS)
        return net_account_counters_reply(counters);
    if (h.query.kind >= NET_POOL_KINDS || h.query.buffers > NET_POOL_MAX_BUFFERS)
        return microkit_msginfo_new(0, 0);
    hold(&h);
    for (unsigned w = 0; w < net_set_words(h.query.buffers); w++)
        microkit_mr_set((uint8_t)w, h.set.bits[w]);
    return microkit_msginfo_new(NET_ACCOUNT_LABEL, net_set_words(h.query.buffers));
}

static inline microkit_msginfo net_account_call(microkit_channel ch, const struct net_query *q)
{
    microkit_mr_set(0, q->kind);
    microkit_mr_set(1, q->client);
    microkit_mr_set(2, q->base);
    microkit_mr_set(3, q->buffers);
    return microkit_ppcall(ch, microkit_msginfo_new(NET_ACCOUNT_LABEL, NET_ACCOUNT_QUERY_WORDS));
}

/* Asks the PD at the other end of ch which of q's buffers it holds; false
 * if it did not answer in kind. */
static inline bool net_account_ask(microkit_channel ch, const struct net_query *q,
                                   struct net_set *answer)
{
    microkit_msginfo reply = net_account_call(ch, q);
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

/* Asks the PD at the other end of ch for its counters and name. */
static inline bool net_account_ask_counters(microkit_channel ch, struct net_counters *c,
                                            char name[NET_ACCOUNT_NAME_SIZE])
{
    const struct net_query q = {NET_ACCOUNT_COUNTERS, 0, 0, 0};
    microkit_msginfo reply = net_account_call(ch, &q);
    if (microkit_msginfo_get_label(reply) != NET_ACCOUNT_LABEL ||
        microkit_msginfo_get_count(reply) != NET_ACCOUNT_COUNTER_WORDS + NET_ACCOUNT_NAME_WORDS)
        return false;
    c->bad_descriptors = microkit_mr_get(0);
    c->dropped_frames = microkit_mr_get(1);
    for (unsigned i = 0; i < 8 * NET_ACCOUNT_NAME_WORDS; i++)
        name[i] = (char)(microkit_mr_get((uint8_t)(NET_ACCOUNT_COUNTER_WORDS + i / 8)) >> (8 * (i % 8)));
    name[8 * NET_ACCOUNT_NAME_WORDS] = 0;
    return true;
}

#endif

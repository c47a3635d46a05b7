/*
 * Network buffer accounting by identity: what each PD says it holds, and
 * the check that every buffer is somewhere exactly once. Pure logic over
 * sets of buffers, so the host tests run it (tests/queue/net_accounting.c);
 * net/accounting.h carries it over protected calls.
 *
 * Every buffer of a pool is either held by one PD or waiting in one queue,
 * and every queue has one consumer. Asked about a pool, a PD answers with
 * the set of that pool's buffers it holds or has waiting in the queues it
 * consumes, by index in the pool; the check wants every buffer in exactly
 * one answer. Sets, not counts: with counts, a buffer one PD lost and one
 * another PD counts twice cancel out.
 *
 * The shared receive buffers are lent by the RX virtualiser to copiers, a
 * broadcast to several at once, and only the virtualiser knows a buffer is
 * out; so in the pool it holds them whole. But each loan must then be
 * confirmed by its borrower: the copier reports the shares waiting for it,
 * the virtualiser those on their way back from it, and together they must
 * be exactly what the virtualiser records as lent to that copier. A copier
 * that loses a buffer cannot report it, and the loan shows as missing.
 * (Sums counted lent buffers at the lender alone, so such a buffer was
 * "accounted for" while no one had it.)
 */
#ifndef NET_HOLDINGS_H
#define NET_HOLDINGS_H

#include <stdbool.h>
#include <stdint.h>
#include <net/queue.h>

/* A pool's buffers may all wait in one queue (a driver's free queue holds
 * every receive buffer at first), so no pool is larger than a queue. */
#define NET_POOL_MAX_BUFFERS NET_QUEUE_CAPACITY
#define NET_SET_WORDS ((NET_POOL_MAX_BUFFERS + 63) / 64)

enum net_pool_kind {
    NET_POOL_RX_DMA,    /* the shared receive buffers, each held whole */
    NET_POOL_CLIENT_RX, /* a client's receive buffers */
    NET_POOL_TX,        /* a client's transmit buffers */
    NET_POOL_SHARES,    /* shared buffers lent to a client's copier: waiting for it, or back */
    NET_POOL_LENT,      /* the RX virtualiser's record of what it lent that copier */
    NET_POOL_KINDS
};

/* One question about one pool. */
struct net_query {
    uint32_t kind;    /* enum net_pool_kind */
    uint32_t client;  /* whose pool, for the per-client kinds */
    uint64_t base;    /* DMA address of the pool's first buffer; 0 if it has none */
    uint32_t buffers; /* in the pool, at most NET_POOL_MAX_BUFFERS */
};

struct net_set {
    uint64_t bits[NET_SET_WORDS]; /* bit i: buffer i of the pool */
};

/* A PD's answer under construction. */
struct net_holdings {
    struct net_query query;
    struct net_set set;
};

/* ---- answering: what a PD holds ---- */

/* The PD holds the buffer named value; first is the value that names the
 * pool's first buffer in the PD's own terms (a DMA address, an offset in a
 * region). A value naming no buffer of the pool is not the pool's. */
static inline void net_hold(struct net_holdings *h, uint64_t value, uint64_t first)
{
    uint64_t offset = value - first, index = offset / NET_BUFFER_SIZE;
    if (offset % NET_BUFFER_SIZE == 0 && index < h->query.buffers)
        h->set.bits[index / 64] |= 1ull << (index % 64);
}

/* The PD holds every buffer waiting in a queue it consumes. */
static inline void net_hold_waiting(struct net_holdings *h, const struct ring_consumer *c,
                                    uint64_t first)
{
    int64_t waiting = ring_consumer_available(c); /* a corrupt queue holds none */
    for (int64_t i = 0; i < waiting; i++)
        net_hold(h, net_queue_slot(c->shared, c->head + (uint32_t)i, c->capacity)->offset, first);
}

/* ---- checking: is every buffer somewhere, once? ---- */

static inline unsigned net_set_count(const struct net_set *s)
{
    unsigned n = 0;
    for (unsigned w = 0; w < NET_SET_WORDS; w++)
        n += (unsigned)__builtin_popcountll(s->bits[w]);
    return n;
}

/* The set of buffers 0 .. n-1 (n at most NET_POOL_MAX_BUFFERS). */
static inline struct net_set net_set_first(uint32_t n)
{
    struct net_set s = {{0}};
    for (uint32_t i = 0; i < n; i++)
        s.bits[i / 64] |= 1ull << (i % 64);
    return s;
}

struct net_pool_report {
    unsigned expected, held; /* held: expected buffers found */
    unsigned missing;        /* expected, found nowhere */
    unsigned doubled;        /* found in more than one answer */
    unsigned stray;          /* found, but not expected */
    bool answered;           /* every PD asked answered */
};

static inline bool net_pool_complete(const struct net_pool_report *r)
{
    return r->answered && !r->missing && !r->doubled && !r->stray;
}

/* How the check reaches the PDs: ask sends q to the PD at the other end of
 * channel and, if it answered in kind, fills in its set; begin and end
 * frame each pool's questions (for printing). In a live system a buffer
 * that moves between two questions shows up missing or twice, so a pool
 * found incomplete is asked again, up to tries times in all (0 counts as
 * 1): a buffer really lost or doubled stays so in every try. */
struct net_accounting {
    bool (*ask)(void *ctx, unsigned channel, const struct net_query *q, struct net_set *answer);
    void (*begin)(void *ctx, const struct net_query *q);
    void (*end)(void *ctx, const struct net_query *q, const struct net_pool_report *r);
    void *ctx;
    unsigned tries;
};

/* Asks each of a pool's possible holders, and compares what they hold
 * with what the pool should have. */
static inline struct net_pool_report net_check_pool(const struct net_accounting *a,
                                                    const struct net_query *q,
                                                    const unsigned *holders, unsigned n,
                                                    const struct net_set *expected)
{
    struct net_set seen = {{0}}, twice = {{0}}, missing, stray;
    struct net_pool_report r = {.answered = true};
    a->begin(a->ctx, q);
    for (unsigned i = 0; i < n; i++) {
        struct net_set answer = {{0}};
        r.answered &= a->ask(a->ctx, holders[i], q, &answer);
        for (unsigned w = 0; w < NET_SET_WORDS; w++) {
            twice.bits[w] |= seen.bits[w] & answer.bits[w];
            seen.bits[w] |= answer.bits[w];
        }
    }
    for (unsigned w = 0; w < NET_SET_WORDS; w++) {
        missing.bits[w] = expected->bits[w] & ~seen.bits[w];
        stray.bits[w] = seen.bits[w] & ~expected->bits[w];
    }
    r.expected = net_set_count(expected);
    r.missing = net_set_count(&missing);
    r.held = r.expected - r.missing;
    r.doubled = net_set_count(&twice);
    r.stray = net_set_count(&stray);
    a->end(a->ctx, q, &r);
    return r;
}

/* ---- the network's pools and who may hold them ---- */

/* The accounting PD's channels by role: every system with one is wired so. */
#define NET_ACCOUNT_DRIVER 1
#define NET_ACCOUNT_VIRT_RX 2
#define NET_ACCOUNT_VIRT_TX 3
#define NET_ACCOUNT_FIRST_COPIER 4 /* copier i; then client i after the copiers */

struct net_system {
    unsigned clients;        /* at most NET_MAX_CLIENTS */
    uint64_t rx_dma_base;    /* DMA address of the shared receive buffers */
    uint32_t rx_buffers;     /* how many there are */
    uint32_t client_buffers; /* in each client's receive and in its transmit region */
    const uint64_t *tx_base; /* DMA address of each client's transmit region */
};

static inline unsigned net_account_copier(unsigned client)
{
    return NET_ACCOUNT_FIRST_COPIER + client;
}

static inline unsigned net_account_client(const struct net_system *s, unsigned client)
{
    return NET_ACCOUNT_FIRST_COPIER + s->clients + client;
}

static inline unsigned net_tries(const struct net_accounting *a)
{
    return a->tries ? a->tries : 1;
}

/* A pool of whole buffers, which its holders must share out exactly. */
static inline bool net_check_whole(const struct net_accounting *a, struct net_query q,
                                   const unsigned *holders, unsigned n)
{
    struct net_set all = net_set_first(q.buffers);
    struct net_pool_report r;
    unsigned tries = net_tries(a);
    do
        r = net_check_pool(a, &q, holders, n, &all);
    while (!net_pool_complete(&r) && --tries);
    return net_pool_complete(&r);
}

/* What the RX virtualiser lent client i's copier must be exactly what that
 * copier and the way back from it hold. */
static inline bool net_check_loans(const struct net_accounting *a, const struct net_system *s,
                                   unsigned client)
{
    struct net_query lent = {NET_POOL_LENT, client, s->rx_dma_base, s->rx_buffers};
    struct net_query shares = {NET_POOL_SHARES, client, s->rx_dma_base, s->rx_buffers};
    const unsigned holders[] = {net_account_copier(client), NET_ACCOUNT_VIRT_RX};
    bool complete;
    unsigned tries = net_tries(a);
    do {
        struct net_set expected = {{0}};
        bool recorded = a->ask(a->ctx, NET_ACCOUNT_VIRT_RX, &lent, &expected);
        struct net_pool_report r = net_check_pool(a, &shares, holders, 2, &expected);
        complete = recorded && net_pool_complete(&r);
    } while (!complete && --tries);
    return complete;
}

static inline bool net_check_client(const struct net_accounting *a, const struct net_system *s,
                                    unsigned i)
{
    const unsigned rx_holders[] = {net_account_copier(i), net_account_client(s, i)};
    const unsigned tx_holders[] = {NET_ACCOUNT_DRIVER, NET_ACCOUNT_VIRT_TX, net_account_client(s, i)};
    bool complete = net_check_whole(a, (struct net_query){NET_POOL_CLIENT_RX, i, 0, s->client_buffers},
                                    rx_holders, 2);
    complete &= net_check_whole(a, (struct net_query){NET_POOL_TX, i, s->tx_base[i], s->client_buffers},
                                tx_holders, 3);
    return net_check_loans(a, s, i) && complete;
}

/* Every pool of the system: true if every buffer is accounted for. */
static inline bool net_check_system(const struct net_accounting *a, const struct net_system *s)
{
    const unsigned rx_holders[] = {NET_ACCOUNT_DRIVER, NET_ACCOUNT_VIRT_RX};
    bool complete = net_check_whole(a, (struct net_query){NET_POOL_RX_DMA, 0, s->rx_dma_base,
                                                          s->rx_buffers}, rx_holders, 2);
    for (unsigned i = 0; i < s->clients; i++)
        complete &= net_check_client(a, s, i);
    return complete;
}

#endif

/*
 * Unit tests of the network buffer accounting (include/net/holdings.h),
 * single-threaded, built with ASan/UBSan.
 *
 * A model of the echo server (driver, RX and TX virtualisers, two copiers,
 * two clients) says where each buffer is; each modelled PD answers the
 * accounting's questions as the real one does, from what it holds and what
 * waits in the queues it consumes. The accounting must call a correct
 * system complete, and must notice every kind of loss: a buffer a copier
 * was lent and dropped (the RX virtualiser still records the loan, the
 * copier does not report it), a buffer counted twice while another is
 * lost (the counts still add up), a stray report, a PD that does not
 * answer; and that asking a pool again settles a buffer caught moving but
 * never hides a loss. net_hold and net_hold_waiting are checked through
 * real queues.
 *
 * Prints one "PASS: net_accounting_<case>" or "FAIL: ..." line per case.
 */
#include <net/holdings.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_PREFIX "net_accounting_"
#include "check.h"

#define CLIENTS 2
#define RX_BUFFERS 128
#define CLIENT_BUFFERS 128
#define RX_BASE 0x5f000000ull
static const uint64_t tx_base[CLIENTS] = {0x5f040000ull, 0x5f080000ull};
static const struct net_system echo_server = {CLIENTS, RX_BASE, RX_BUFFERS, CLIENT_BUFFERS, tx_base};

/* Where a buffer is, as the model sees it. */
enum place { AT_DRIVER, AT_VIRT, AT_COPIER, AT_CLIENT, NOWHERE };
/* Where a copier's share of a lent buffer is. */
enum share { NO_SHARE, SHARE_WAITING, SHARE_RETURNING, SHARE_LOST };

static struct model {
    enum place rx[RX_BUFFERS];  /* AT_DRIVER or AT_VIRT (waiting from the driver, or lent) */
    uint8_t lent[RX_BUFFERS];   /* the RX virtualiser's record: bit i, lent to copier i */
    enum share share[CLIENTS][RX_BUFFERS];
    enum place client_rx[CLIENTS][CLIENT_BUFFERS]; /* AT_COPIER or AT_CLIENT */
    enum place tx[CLIENTS][CLIENT_BUFFERS];        /* AT_DRIVER, AT_VIRT or AT_CLIENT */
    unsigned silent;            /* a channel that never answers (0: none) */
    unsigned twice_channel;     /* a channel that also reports ... */
    uint32_t twice_kind, twice_client, twice_index; /* ... this buffer of this pool */
    unsigned twice_for;         /* in its first twice_for answers only (0: in all): moving */
    unsigned twice_answers;
} m;

static void mark(struct net_set *s, unsigned i) { s->bits[i / 64] |= 1ull << (i % 64); }

static void mark_places(struct net_set *s, const enum place *where, unsigned n, enum place p)
{
    for (unsigned i = 0; i < n; i++)
        if (where[i] == p)
            mark(s, i);
}

/* Client i's channel, or -1: the channel's role in echo_server's wiring. */
static int client_at(unsigned channel, unsigned first)
{
    return channel >= first && channel < first + CLIENTS ? (int)(channel - first) : -1;
}

static void answer_virt_rx(const struct net_query *q, struct net_set *s)
{
    for (unsigned b = 0; b < RX_BUFFERS; b++) {
        if (q->kind == NET_POOL_RX_DMA && m.rx[b] == AT_VIRT)
            mark(s, b);
        if (q->kind == NET_POOL_LENT && (m.lent[b] >> q->client & 1))
            mark(s, b);
        if (q->kind == NET_POOL_SHARES && m.share[q->client][b] == SHARE_RETURNING)
            mark(s, b);
    }
}

static void answer_role(unsigned channel, const struct net_query *q, struct net_set *s)
{
    int copier = client_at(channel, NET_ACCOUNT_FIRST_COPIER);
    int client = client_at(channel, NET_ACCOUNT_FIRST_COPIER + CLIENTS);
    if (channel == NET_ACCOUNT_DRIVER && q->kind == NET_POOL_RX_DMA)
        mark_places(s, m.rx, RX_BUFFERS, AT_DRIVER);
    if (channel == NET_ACCOUNT_DRIVER && q->kind == NET_POOL_TX)
        mark_places(s, m.tx[q->client], CLIENT_BUFFERS, AT_DRIVER);
    if (channel == NET_ACCOUNT_VIRT_RX)
        answer_virt_rx(q, s);
    if (channel == NET_ACCOUNT_VIRT_TX && q->kind == NET_POOL_TX)
        mark_places(s, m.tx[q->client], CLIENT_BUFFERS, AT_VIRT);
    if (copier >= 0 && q->kind == NET_POOL_CLIENT_RX)
        mark_places(s, m.client_rx[copier], CLIENT_BUFFERS, AT_COPIER);
    if (copier >= 0 && q->kind == NET_POOL_SHARES)
        for (unsigned b = 0; b < RX_BUFFERS; b++)
            if (m.share[copier][b] == SHARE_WAITING)
                mark(s, b);
    if (client >= 0 && q->kind == NET_POOL_CLIENT_RX)
        mark_places(s, m.client_rx[client], CLIENT_BUFFERS, AT_CLIENT);
    if (client >= 0 && q->kind == NET_POOL_TX)
        mark_places(s, m.tx[client], CLIENT_BUFFERS, AT_CLIENT);
}

static unsigned asked; /* questions asked in all */

static bool model_ask(void *ctx, unsigned channel, const struct net_query *q, struct net_set *s)
{
    (void)ctx;
    asked++;
    if (channel == m.silent)
        return false;
    answer_role(channel, q, s);
    if (channel == m.twice_channel && q->kind == m.twice_kind && q->client == m.twice_client &&
        (!m.twice_for || m.twice_answers++ < m.twice_for))
        mark(s, m.twice_index);
    return true;
}

static struct net_pool_report last[NET_POOL_KINDS][CLIENTS]; /* each pool's last report */

static void begin(void *ctx, const struct net_query *q) { (void)ctx, (void)q; }

static void end(void *ctx, const struct net_query *q, const struct net_pool_report *r)
{
    (void)ctx;
    last[q->kind][q->client] = *r;
}

static const struct net_accounting accounting = {model_ask, begin, end, NULL, 0};
static const struct net_accounting patient = {model_ask, begin, end, NULL, 4};

/* A quiet, correct echo server: receive buffers spread over the driver and
 * the way to the copiers, a broadcast lent to both copiers (one has copied
 * it, the other not yet), transmit buffers everywhere. */
static void quiet_system(void)
{
    memset(&m, 0, sizeof(m));
    for (unsigned b = 0; b < RX_BUFFERS; b++)
        m.rx[b] = b < 120 ? AT_DRIVER : AT_VIRT;
    m.lent[125] = 3;
    m.share[0][125] = SHARE_RETURNING;
    m.share[1][125] = SHARE_WAITING;
    m.lent[126] = 1;
    m.share[0][126] = SHARE_WAITING;
    for (unsigned i = 0; i < CLIENTS; i++)
        for (unsigned b = 0; b < CLIENT_BUFFERS; b++) {
            m.client_rx[i][b] = b % 7 ? AT_COPIER : AT_CLIENT;
            m.tx[i][b] = b % 3 == 0 ? AT_DRIVER : b % 3 == 1 ? AT_VIRT : AT_CLIENT;
        }
    memset(last, 0, sizeof(last));
}

static void test_quiet_system_complete(void)
{
    quiet_system();
    asked = 0;
    CHECK(net_check_system(&accounting, &echo_server));
    CHECK(last[NET_POOL_RX_DMA][0].held == RX_BUFFERS && last[NET_POOL_RX_DMA][0].expected == RX_BUFFERS);
    CHECK(last[NET_POOL_TX][1].held == CLIENT_BUFFERS);
    CHECK(last[NET_POOL_SHARES][0].expected == 2 && last[NET_POOL_SHARES][1].expected == 1);
    /* rx_dma: 2; per client: client_rx 2, tx 3, lent 1, shares 2. */
    CHECK(asked == 2 + CLIENTS * (2 + 3 + 1 + 2));
}

/* The defect sums missed: copier 0 dropped a lent buffer without giving it
 * back. The RX virtualiser still records the loan, so the shared pool
 * itself looks whole; the loan, confirmed by no one, does not. */
static void test_copier_loss_detected(void)
{
    quiet_system();
    m.share[0][126] = SHARE_LOST;
    CHECK(!net_check_system(&accounting, &echo_server));
    CHECK(net_pool_complete(&last[NET_POOL_RX_DMA][0]));
    CHECK(last[NET_POOL_SHARES][0].missing == 1 && last[NET_POOL_SHARES][0].held == 1);
    CHECK(net_pool_complete(&last[NET_POOL_SHARES][1]));
}

/* A broadcast held by both copiers, lost by one: the other's share does
 * not cover it. */
static void test_broadcast_loss_detected(void)
{
    quiet_system();
    m.share[1][125] = SHARE_LOST;
    CHECK(!net_check_system(&accounting, &echo_server));
    CHECK(net_pool_complete(&last[NET_POOL_SHARES][0]));
    CHECK(last[NET_POOL_SHARES][1].missing == 1);
}

/* One transmit buffer lost, another reported twice: the count is right,
 * the buffers are not. */
static void test_compensating_errors_detected(void)
{
    quiet_system();
    m.tx[1][5] = NOWHERE;
    m.twice_channel = NET_ACCOUNT_FIRST_COPIER + CLIENTS + 1; /* client 1 ... */
    m.twice_kind = NET_POOL_TX;
    m.twice_client = 1;
    m.twice_index = 0; /* ... also claims buffer 0, which the driver holds */
    CHECK(!net_check_system(&accounting, &echo_server));
    const struct net_pool_report *r = &last[NET_POOL_TX][1];
    CHECK(r->missing == 1 && r->doubled == 1 && r->stray == 0);
    CHECK(net_pool_complete(&last[NET_POOL_TX][0]));
}

/* A buffer caught on its way from the TX virtualiser to its client is
 * counted by both in the first try only: a second try settles it, while a
 * single try calls the pool incomplete. */
static void test_moving_buffer_settles(void)
{
    quiet_system();
    m.twice_channel = NET_ACCOUNT_FIRST_COPIER + CLIENTS; /* client 0 ... */
    m.twice_kind = NET_POOL_TX;
    m.twice_index = 1; /* ... also claims buffer 1, which the TX virtualiser holds */
    m.twice_for = 1;
    CHECK(!net_check_system(&accounting, &echo_server));
    m.twice_answers = 0;
    CHECK(net_check_system(&patient, &echo_server));
    CHECK(net_pool_complete(&last[NET_POOL_TX][0]));
}

/* Trying again does not hide a loss: every try finds it. */
static void test_retries_keep_loss(void)
{
    quiet_system();
    m.tx[0][7] = NOWHERE;
    asked = 0;
    CHECK(!net_check_system(&patient, &echo_server));
    CHECK(last[NET_POOL_TX][0].missing == 1);
    /* the quiet count, plus three more tries of client 0's tx (3 questions each) */
    CHECK(asked == 2 + CLIENTS * (2 + 3 + 1 + 2) + 3 * 3);
}

/* A copier reports a share it was never lent. */
static void test_stray_share_detected(void)
{
    quiet_system();
    m.share[1][3] = SHARE_WAITING;
    CHECK(!net_check_system(&accounting, &echo_server));
    CHECK(last[NET_POOL_SHARES][1].stray == 1 && last[NET_POOL_SHARES][1].missing == 0);
}

static void test_silent_pd_detected(void)
{
    static const unsigned channels[] = {NET_ACCOUNT_DRIVER, NET_ACCOUNT_VIRT_RX, NET_ACCOUNT_VIRT_TX,
                                        NET_ACCOUNT_FIRST_COPIER + 1, NET_ACCOUNT_FIRST_COPIER + 3};
    for (unsigned i = 0; i < sizeof channels / sizeof channels[0]; i++) {
        quiet_system();
        m.silent = channels[i];
        CHECK(!net_check_system(&accounting, &echo_server));
    }
}

/* net_hold: only whole buffers of the pool, relative to the PD's own first
 * value; net_hold_waiting: exactly the descriptors waiting, across a wrap. */
static void test_hold(void)
{
    struct net_holdings h = {.query = {NET_POOL_TX, 0, 0x1000000, 4}};
    net_hold(&h, 0x1000000 + 3 * NET_BUFFER_SIZE, 0x1000000);
    net_hold(&h, 0x1000000 + 4 * NET_BUFFER_SIZE, 0x1000000); /* past the pool */
    net_hold(&h, 0x1000000 + 1, 0x1000000);                   /* inside a buffer */
    net_hold(&h, 0x1000000 - NET_BUFFER_SIZE, 0x1000000);     /* below it */
    net_hold(&h, NET_BUFFER_SIZE, 0); /* the same pool in offsets: buffer 1 */
    CHECK(h.set.bits[0] == 0xa && net_set_count(&h.set) == 2);

    struct ring_shared *shared = aligned_alloc(64, NET_QUEUE_REGION_SIZE);
    struct ring_producer p;
    struct ring_consumer c;
    struct net_desc d;
    ring_shared_reset(shared);
    shared->head = shared->tail = 0xFFFFFFFEu;
    ring_producer_attach(&p, shared, 4);
    ring_consumer_attach(&c, shared, 4);
    for (uint64_t b = 0; b < 4; b++)
        CHECK(net_enqueue(&p, (struct net_desc){b * NET_BUFFER_SIZE, 0, 0}));
    CHECK(net_dequeue(&c, &d) == 1); /* buffer 0 is no longer waiting */
    h = (struct net_holdings){.query = {NET_POOL_CLIENT_RX, 0, 0, 128}};
    net_hold_waiting(&h, &c, 0);
    CHECK(h.set.bits[0] == 0xe);
    shared->tail = c.head + 9; /* corrupt: no descriptor is trusted to wait */
    h = (struct net_holdings){.query = {NET_POOL_CLIENT_RX, 0, 0, 128}};
    net_hold_waiting(&h, &c, 0);
    CHECK(net_set_count(&h.set) == 0);
    free(shared);
}

int main(void)
{
    RUN(quiet_system_complete);
    RUN(copier_loss_detected);
    RUN(moving_buffer_settles);
    RUN(retries_keep_loss);
    RUN(broadcast_loss_detected);
    RUN(compensating_errors_detected);
    RUN(stray_share_detected);
    RUN(silent_pd_detected);
    RUN(hold);
    return failures ? 1 : 0;
}

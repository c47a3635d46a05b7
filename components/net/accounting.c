/*
 * Network buffer accounting: when notified (a client passes on a request
 * from the host), asks every PD it may call for its statistics
 * (pride/stats.h), then asks each pool's possible holders which of its
 * buffers they hold, and checks that every buffer is held exactly once and
 * every loan of a shared buffer is confirmed by its borrower
 * (net/holdings.h). Prints one line per PD and per pool, then whether all
 * are accounted for.
 *
 * Its channels follow the roles in net/holdings.h (driver, virtualisers,
 * copier i, client i); any other PD it may call (the timer driver) is
 * asked for its statistics only. It runs at the lowest priority, so every
 * other PD is between events when asked; a pool found incomplete is asked
 * again, up to POOL_TRIES times (net/holdings.h), since a buffer moving
 * between two questions shows up missing or twice. Built per system.
 */
#include <microkit.h>
#include <pride_debug.h>
#include <net/accounting.h>
#include <net/config.h>
#include <net/tx_regions.h>
#include "net_config.h"

#define NUM_CLIENTS (sizeof(net_clients) / sizeof(net_clients[0]))
#define POOL_TRIES 4
#define RX_BUFFERS (NET_RX_DMA_SIZE / NET_BUFFER_SIZE)
#define CLIENT_BUFFERS (NET_CLIENT_REGION_SIZE / NET_BUFFER_SIZE)
_Static_assert(RX_BUFFERS <= NET_POOL_MAX_BUFFERS && CLIENT_BUFFERS <= NET_POOL_MAX_BUFFERS,
               "a pool's set must fit an answer");
_Static_assert(NUM_CLIENTS <= NET_TX_REGIONS, "every client needs its transmit region's address");

uint64_t rx_buffers_paddr; /* setvar region_paddr: the shared RX buffers */

static const char *const pool_names[NET_POOL_KINDS] = {"rx_dma", "client_rx of ", "tx of ",
                                                       "lent to the copier of ", "lent"};
static char names[MICROKIT_MAX_CHANNELS][PRIDE_STATS_NAME_SIZE]; /* as each PD answered */
static unsigned buffers_held, buffers_expected;                  /* whole pools only */
/* The pool last reported and what it added, taken back if it is tried again. */
static struct net_query last_pool = {NET_POOL_KINDS, 0, 0, 0};
static unsigned last_held, last_expected;

static void put_count(const char *before, unsigned n, const char *after)
{
    microkit_dbg_puts(before);
    pride_dbg_put_dec(n);
    microkit_dbg_puts(after);
}

/* Every PD's statistics, and its name for the pools' lines. */
static void print_stats(void)
{
    for (uint64_t pps = microkit_pps; pps; pps &= pps - 1) {
        microkit_channel ch = (microkit_channel)__builtin_ctzll(pps);
        pride_stats_report(ch, names[ch]);
    }
}

static bool ask(void *ctx, unsigned ch, const struct net_query *q, struct net_set *answer)
{
    (void)ctx;
    bool answered = net_account_ask((microkit_channel)ch, q, answer);
    if (q->kind == NET_POOL_LENT) /* the loans' record, printed as the pool's expectation */
        return answered;
    microkit_dbg_puts(" ");
    microkit_dbg_puts(names[ch][0] ? names[ch] : "?");
    if (answered)
        put_count(" ", net_set_count(answer), "");
    else
        microkit_dbg_puts(" (no answer)");
    return answered;
}

static void begin(void *ctx, const struct net_query *q)
{
    (void)ctx;
    if (q->kind == last_pool.kind && q->client == last_pool.client) { /* tried again */
        buffers_held -= last_held;
        buffers_expected -= last_expected;
    }
    last_pool = *q;
    last_held = last_expected = 0;
    microkit_dbg_puts("net: buffers: ");
    microkit_dbg_puts(pool_names[q->kind]);
    if (q->kind != NET_POOL_RX_DMA)
        microkit_dbg_puts(net_clients[q->client].name);
    microkit_dbg_puts(":");
}

static void end(void *ctx, const struct net_query *q, const struct net_pool_report *r)
{
    (void)ctx;
    put_count(": ", r->held, "");
    put_count(" of ", r->expected, "");
    if (r->missing)
        put_count(", ", r->missing, " missing");
    if (r->doubled)
        put_count(", ", r->doubled, " held twice");
    if (r->stray)
        put_count(", ", r->stray, " not lent");
    microkit_dbg_puts("\n");
    if (q->kind != NET_POOL_SHARES) {
        last_held = r->held;
        last_expected = r->expected;
        buffers_held += last_held;
        buffers_expected += last_expected;
    }
}

static void report(void)
{
    static const struct net_accounting accounting = {ask, begin, end, 0, POOL_TRIES};
    uint64_t tx_base[NUM_CLIENTS];
    for (unsigned i = 0; i < NUM_CLIENTS; i++)
        tx_base[i] = *net_tx_region_paddr[i];
    const struct net_system system = {NUM_CLIENTS, rx_buffers_paddr, RX_BUFFERS, CLIENT_BUFFERS, tx_base};
    print_stats();
    buffers_held = buffers_expected = 0;
    last_pool.kind = NET_POOL_KINDS;
    bool complete = net_check_system(&accounting, &system);
    put_count("net: buffers in all: ", buffers_held, "");
    put_count(" of ", buffers_expected, complete ? ": all accounted for\n" : ": NOT all accounted for\n");
}

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
    report();
}

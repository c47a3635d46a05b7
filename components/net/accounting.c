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
 * between two questions shows up missing or twice. Its system
 * (net/config.h): the pools' DMA addresses and sizes, the clients' names.
 */
#include <microkit.h>
#include <pride_debug.h>
#include <net/accounting.h>
#include <net/config.h>

#define POOL_TRIES 4

PRIDE_CONFIG(struct net_account_config, net_account_config, NET_ACCOUNT_MAGIC, NET_CONFIG_VERSION);
static const struct net_account_config *config;
static unsigned num_clients; /* the config's, within NET_MAX_CLIENTS */

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
        microkit_dbg_puts(config->client[q->client].name);
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
    uint64_t tx_base[NET_MAX_CLIENTS];
    for (unsigned i = 0; i < num_clients; i++)
        tx_base[i] = config->client[i].tx_base;
    const struct net_system system = {num_clients, config->rx_base, config->rx_buffers,
                                      config->client_buffers, tx_base};
    print_stats();
    buffers_held = buffers_expected = 0;
    last_pool.kind = NET_POOL_KINDS;
    bool complete = net_check_system(&accounting, &system);
    put_count("net: buffers in all: ", buffers_held, "");
    put_count(" of ", buffers_expected, complete ? ": all accounted for\n" : ": NOT all accounted for\n");
}

void init(void)
{
    config = pride_config(&net_account_config);
    num_clients = config->clients <= NET_MAX_CLIENTS ? config->clients : 0;
}

void notified(microkit_channel ch)
{
    (void)ch;
    report();
}

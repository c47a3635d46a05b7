/*
 * Block benchmark, the client's view: sequential reads and then writes of
 * 8 MiB in 64 KiB requests, then 4 KiB reads at pseudo-random places, each
 * with DEPTH requests in flight, straight on the virtio-blk driver. For
 * each, prints the instructions executed per KiB (every PD and the kernel:
 * the PMU's retired-instruction counter, which does not count idling) and
 * the MiB/s of the guest's clock (meaningful only without -icount;
 * bench/blk/run.sh runs both ways).
 * Channel: BLK_CLIENT_CH, the driver (blk/config.h).
 */
#include <microkit.h>
#include <pride_debug.h>
#include <blk/config.h>
#include <blk/queue.h>

#define DEPTH 4
#define SEQ_BYTES (8u << 20)
#define SEQ_SECTORS 128 /* 64 KiB a request */
#define RANDOM_REQUESTS 1024
#define RANDOM_SECTORS 8 /* 4 KiB */
#define DISK_SECTORS (16u << 11) /* the 16 MiB image run.sh makes */

PRIDE_CONFIG(struct blk_client_config, blk_client_config, BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION);

struct phase {
    const char *name;
    uint32_t op, sectors, requests;
    bool random;
};

static const struct phase phases[] = {
    {"blk_seq_read", BLK_READ, SEQ_SECTORS, SEQ_BYTES / (SEQ_SECTORS * BLK_SECTOR_SIZE), false},
    {"blk_seq_write", BLK_WRITE, SEQ_SECTORS, SEQ_BYTES / (SEQ_SECTORS * BLK_SECTOR_SIZE), false},
    {"blk_random_read_4k", BLK_READ, RANDOM_SECTORS, RANDOM_REQUESTS, true},
};
#define PHASES (sizeof(phases) / sizeof(phases[0]))

static struct ring_producer requests;
static struct ring_consumer responses;
static unsigned phase, sent, done, errors;
static uint32_t start_insns;
static uint64_t start_ticks, random_state = 0x2545f4914f6cdd1dull;

static uint64_t now_ticks(void)
{
    uint64_t t;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t));
    return t;
}

static uint64_t block_of(const struct phase *p, unsigned n)
{
    if (!p->random)
        return (uint64_t)n * p->sectors;
    random_state ^= random_state << 13, random_state ^= random_state >> 7,
        random_state ^= random_state << 17;
    return random_state % (DISK_SECTORS / p->sectors) * p->sectors;
}

static void send_more(void)
{
    const struct phase *p = &phases[phase];
    while (sent < p->requests && sent - done < DEPTH) {
        uint64_t slot = sent % DEPTH * SEQ_SECTORS * BLK_SECTOR_SIZE;
        struct blk_request r = {p->op, sent, slot, block_of(p, sent), p->sectors, 0};
        if (!blk_request_put(&requests, &r))
            break;
        sent++;
    }
}

static void report(const struct phase *p)
{
    uint64_t kib = (uint64_t)p->requests * p->sectors / 2;
    uint64_t ticks = now_ticks() - start_ticks, hz = pride_counter_hz();
    microkit_dbg_puts(p->name);
    microkit_dbg_puts("_insns_per_kib: ");
    pride_dbg_put_dec((uint32_t)(pride_instructions_retired() - start_insns) / kib);
    microkit_dbg_puts("\n");
    microkit_dbg_puts(p->name);
    microkit_dbg_puts("_kib_per_s: ");
    pride_dbg_put_dec(ticks ? kib * hz / ticks : 0);
    microkit_dbg_puts("\n");
}

static void start_phase(void)
{
    sent = done = 0;
    start_insns = pride_instructions_retired();
    start_ticks = now_ticks();
    send_more();
}

static void collect(void)
{
    struct blk_response r;
    while (blk_response_take(&responses, &r) == 1) {
        errors += r.status != BLK_OK;
        if (++done < phases[phase].requests)
            continue;
        report(&phases[phase]);
        if (++phase == PHASES) {
            microkit_dbg_puts(errors ? "bench: errors\n" : "bench: done\n");
            return;
        }
        start_phase();
    }
    if (phase < PHASES)
        send_more();
}

void init(void)
{
    const struct blk_client_config *c = pride_config(&blk_client_config);
    ring_producer_attach(&requests, (struct ring_shared *)(uintptr_t)c->requests, BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&responses, (struct ring_shared *)(uintptr_t)c->responses,
                         BLK_QUEUE_CAPACITY);
    ring_consumer_request_signal(&responses); /* before any request goes out */
}

void notified(microkit_channel ch)
{
    const struct blk_client_config *c = pride_config(&blk_client_config);
    const volatile struct blk_storage_info *info =
        (const volatile struct blk_storage_info *)(uintptr_t)c->info;
    (void)ch;
    if (!sent && phase == 0 && __atomic_load_n(&info->ready, __ATOMIC_ACQUIRE))
        start_phase();
    else if (phase < PHASES)
        do
            collect();
        while (phase < PHASES && !ring_consumer_may_sleep(&responses));
    if (ring_producer_must_signal(&requests))
        microkit_deferred_notify(BLK_CLIENT_CH);
}

/*
 * Exercises the virtio-blk driver through the block protocol, several
 * requests in flight at a time, in steps, each started when the last
 * one's responses are all in:
 *   1. reads sectors 0..63, which the host filled with a known pattern;
 *   2. writes sectors 1000..1063 with another, then FLUSHes, then a
 *      BARRIER (on read-only storage: the writes must be refused);
 *   3. reads them back and compares;
 *   4. sends requests no server may follow, and checks each one's error.
 * Prints one line per step, named by the PD; the host checks the disk
 * image afterwards. Behind the block virtualiser, blocks are its
 * partition's and the host's pattern starts anew at the partition.
 * (The first step starts when the driver says the storage is ready.)
 * Channel: BLK_CLIENT_CH, the driver (blk/config.h).
 */
#include <microkit.h>
#include <pride_debug.h>
#include <blk/config.h>
#include <blk/queue.h>

#define SECTORS 64
#define PER_REQUEST 8
#define WRITE_AT 1000
#define READ_BACK_OFFSET (SECTORS * BLK_SECTOR_SIZE)

PRIDE_CONFIG(struct blk_client_config, blk_client_config, BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION);

static const struct blk_client_config *config;
static const volatile struct blk_storage_info *info;
static struct ring_producer requests;
static struct ring_consumer responses;
static unsigned step, outstanding, wrong;
static struct blk_request sent[BLK_QUEUE_CAPACITY];
static enum blk_status expected[BLK_QUEUE_CAPACITY];

static uint8_t *data(uint64_t offset)
{
    return (uint8_t *)(uintptr_t)(config->data_vaddr + offset);
}

/* The byte j of sector s: the host's pattern (seed 7) or ours (seed 13). */
static uint8_t pattern(uint64_t s, unsigned j, unsigned seed)
{
    return (uint8_t)(s * seed + j + (seed == 13));
}

static void send(uint32_t op, uint64_t offset, uint64_t block, uint32_t count, enum blk_status want)
{
    struct blk_request r = {op, outstanding, offset, block, count, 0};
    sent[outstanding] = r;
    expected[outstanding++] = want;
    blk_request_put(&requests, &r);
}

static void send_sectors(uint32_t op, uint64_t offset, uint64_t first, enum blk_status want)
{
    for (unsigned i = 0; i < SECTORS; i += PER_REQUEST)
        send(op, offset + i * BLK_SECTOR_SIZE, first + i, PER_REQUEST, want);
}

static unsigned mismatches(uint64_t offset, uint64_t first, unsigned seed)
{
    unsigned bad = 0;
    for (unsigned s = 0; s < SECTORS; s++)
        for (unsigned j = 0; j < BLK_SECTOR_SIZE; j++)
            bad += *data(offset + s * BLK_SECTOR_SIZE + j) != pattern(first + s, j, seed);
    return bad;
}

static void say(const char *what, unsigned bad)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    if (bad) {
        microkit_dbg_puts(": FAILED, ");
        pride_dbg_put_dec(bad);
        microkit_dbg_puts(" wrong\n");
    } else {
        microkit_dbg_puts(": ok\n");
    }
}

static void send_writes(void)
{
    bool ro = info->read_only;
    for (unsigned s = 0; s < SECTORS; s++)
        for (unsigned j = 0; j < BLK_SECTOR_SIZE; j++)
            *data(s * BLK_SECTOR_SIZE + j) = pattern(WRITE_AT + s, j, 13);
    send_sectors(BLK_WRITE, 0, WRITE_AT, ro ? BLK_ERR_READ_ONLY : BLK_OK);
    send(BLK_FLUSH, 0, 0, 0, BLK_OK);
    send(BLK_BARRIER, 0, 0, 0, BLK_OK);
}

/* Requests no server may follow, each with the error it must get. */
static void send_hostile(void)
{
    uint64_t end = info->capacity, region = config->data_size;
    send(9, 0, 0, 1, BLK_ERR_BAD_REQUEST);
    send(BLK_READ, 0, 0, 0, BLK_ERR_BAD_REQUEST);
    send(BLK_READ, 0, 0, BLK_MAX_SECTORS + 1, BLK_ERR_BAD_REQUEST);
    send(BLK_READ, 1, 0, 1, BLK_ERR_BAD_REQUEST);
    send(BLK_READ, region, 0, 1, BLK_ERR_RANGE);
    send(BLK_READ, UINT64_MAX - 511, 0, 2, BLK_ERR_RANGE); /* aligned, but the sum would wrap */
    send(BLK_READ, region - BLK_SECTOR_SIZE, 0, 2, BLK_ERR_RANGE);
    send(BLK_READ, 0, end, 1, BLK_ERR_RANGE);
    send(BLK_READ, 0, UINT64_MAX, 2, BLK_ERR_RANGE);
    send(BLK_FLUSH, 0, 1, 0, BLK_ERR_BAD_REQUEST);
    struct blk_request reserved = {BLK_READ, outstanding, 0, 0, 1, 1};
    sent[outstanding] = reserved;
    expected[outstanding++] = BLK_ERR_BAD_REQUEST;
    blk_request_put(&requests, &reserved);
}

/* Done: asks the statistics reader to report, if the system has one. */
static void finish(void)
{
    say("done", 0);
    if (microkit_notifications >> BLK_CLIENT_REPORT_CH & 1)
        microkit_notify(BLK_CLIENT_REPORT_CH);
}

/* The step whose responses are all in is checked; the next one starts. */
static void next_step(void)
{
    if (step == 1)
        say("read 64 sectors the host wrote", mismatches(0, 0, 7) + wrong);
    else if (step == 2)
        say(info->read_only ? "writes refused on read-only storage, flush and barrier answered"
                            : "wrote 64 sectors, flushed, barrier answered", wrong);
    else if (step == 3)
        say(info->read_only ? "read back the host's data, unchanged" : "read back what was written",
            mismatches(READ_BACK_OFFSET, WRITE_AT, info->read_only ? 7 : 13) + wrong);
    else if (step == 4)
        say("11 bad requests refused, each with its error", wrong);
    wrong = outstanding = 0;
    step++;
    if (step == 1)
        send_sectors(BLK_READ, 0, 0, BLK_OK);
    else if (step == 2)
        send_writes();
    else if (step == 3)
        send_sectors(BLK_READ, READ_BACK_OFFSET, WRITE_AT, BLK_OK);
    else if (step == 4)
        send_hostile();
    else
        finish();
}

static void collect(void)
{
    struct blk_response r;
    while (blk_response_take(&responses, &r) == 1) {
        bool known = r.id < BLK_QUEUE_CAPACITY && sent[r.id].id == r.id;
        uint32_t want_count = expected[r.id] == BLK_OK ? sent[r.id].count : 0;
        if (!known || r.status != expected[r.id] || r.count != want_count)
            wrong++;
        sent[r.id].id = UINT32_MAX; /* answered */
        if (--outstanding == 0)
            next_step();
    }
}

void init(void)
{
    config = pride_config(&blk_client_config);
    info = (const volatile struct blk_storage_info *)(uintptr_t)config->info;
    ring_producer_attach(&requests, (struct ring_shared *)(uintptr_t)config->requests,
                         BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&responses, (struct ring_shared *)(uintptr_t)config->responses,
                         BLK_QUEUE_CAPACITY);
    ring_consumer_request_signal(&responses);
}

void notified(microkit_channel ch)
{
    (void)ch;
    if (step == 0 && __atomic_load_n(&info->ready, __ATOMIC_ACQUIRE))
        next_step();
    else if (step > 0)
        do
            collect();
        while (!ring_consumer_may_sleep(&responses));
    if (ring_producer_must_signal(&requests) | ring_consumer_must_signal(&responses))
        microkit_deferred_notify(BLK_CLIENT_CH);
}

/*
 * Block virtualiser: gives each client one partition of the disk as a
 * whole storage of its own. At start it reads the disk's partition table
 * through the driver (MBR, or a GPT whose header, backup header and entry
 * array all check out: blk/partition.h); a disk with no table is one
 * partition. Then it serves the clients in turn, one request each per
 * pass: every request is checked against the client's own limits (its
 * partition, its data region, read-only storage) and answered with an
 * error if it fails; a good one goes to the driver with the client's
 * offset and blocks translated and an id of the virtualiser's own (a slot
 * that remembers the client and its id), so no client can answer for,
 * see, or name another's requests. It never touches the data: the device
 * moves it straight to and from the client's region.
 *
 * A client's request is taken only while its response queue has room for
 * every request it has outstanding, so a client that stops reading its
 * responses stalls only itself. A barrier or flush from a client goes to
 * the driver as it is, and so orders every client's requests there.
 *
 * Its system (blk/config.h): the driver's queues and info page, its
 * scratch buffer, each client's queues, info page, region and partition.
 * Channels: 0 the driver; 1 + i client i. Protected calls report its
 * statistics (pride/stats.h: requests answered OK, bad requests, bad
 * indices).
 */
#include <microkit.h>
#include <pride_debug.h>
#include <pride/stats.h>
#include <blk/config.h>
#include <blk/partition.h>
#include <blk/queue.h>

#define DRIVER BLK_VIRT_DRIVER_CH
#define FIRST_CLIENT BLK_VIRT_FIRST_CLIENT_CH
#define SLOTS BLK_QUEUE_CAPACITY /* requests at the driver: ids 0 .. SLOTS-1 */
#define OWN 0xff                 /* a slot serving the virtualiser itself */

struct client {
    struct ring_consumer requests;
    struct ring_producer responses;
    volatile struct blk_storage_info *info;
    struct blk_limits limits;
    uint64_t start;       /* of its partition, in disk sectors */
    uint64_t data_offset; /* of its region in the driver's */
    unsigned outstanding;
};

struct slot {
    bool busy;
    uint8_t client;
    uint32_t id; /* the client's */
};

/* Reading the tables: what each step asks for, then serving. */
enum phase { WAIT_DRIVER, READ_MBR, READ_GPT, READ_BACKUP, READ_ENTRIES, SERVING };

PRIDE_CONFIG(struct blk_virt_config, blk_virt_config, BLK_VIRT_MAGIC, BLK_CONFIG_VERSION);

static const struct blk_virt_config *config;
static struct client clients[BLK_MAX_CLIENTS];
static unsigned num_clients, next_client;
static struct ring_producer to_driver;
static struct ring_consumer from_driver;
static const volatile struct blk_storage_info *disk;
static struct slot slots[SLOTS];
static uint8_t free_slots[SLOTS]; /* a stack of the slots not in use */
static unsigned num_free;
static enum phase phase = WAIT_DRIVER;
static struct blk_partitions table;
static bool whole_disk; /* no table: the disk is partition 0 */
static const char *table_kind = "MBR";
static struct gpt_layout gpt;
static struct pride_stats stats = {.unit = PRIDE_STATS_REQUESTS};

static const uint8_t *scratch(void)
{
    return (const uint8_t *)(uintptr_t)config->scratch_vaddr;
}

static unsigned take_slot(uint8_t client, uint32_t id)
{
    unsigned s = free_slots[--num_free];
    slots[s] = (struct slot){true, client, id};
    return s;
}

static void release_slot(unsigned s)
{
    slots[s].busy = false;
    free_slots[num_free++] = (uint8_t)s;
}

/* One read of the tables into the scratch buffer (one at a time, before
 * any client's: a slot is always free). */
static void read_own(enum phase next, uint64_t lba, uint32_t count)
{
    struct blk_request r = {BLK_READ, take_slot(OWN, 0), config->scratch_offset, lba, count, 0};
    phase = next;
    if (!blk_request_put(&to_driver, &r))
        stats.bad_idx++;
}

static void answer(unsigned i, uint32_t id, enum blk_status status, uint32_t count)
{
    struct blk_response resp = {id, status, count, 0};
    if (!blk_response_put(&clients[i].responses, &resp))
        stats.bad_idx++; /* room was checked: the client broke its indices */
    else if (status == BLK_OK)
        stats.passed++;
}

/* The table index a client's partition names: BLK_PARTITION_FIRST_FAT is
 * the first FAT one (the whole disk, 0, on a disk without a table). */
static unsigned partition_index(uint32_t wanted)
{
    if (wanted != BLK_PARTITION_FIRST_FAT)
        return wanted;
    return whole_disk ? 0 : blk_first_fat(&table);
}

/* Each client's partition, as the tables say; its info page then. */
static void publish_partitions(void)
{
    for (unsigned i = 0; i < num_clients; i++) {
        const struct blk_virt_client *c = &config->client[i];
        struct client *cl = &clients[i];
        unsigned index = partition_index(c->partition);
        bool listed = index < table.count, found = listed || (whole_disk && !index);
        struct blk_partition whole = {0, found ? disk->capacity : 0, false};
        const struct blk_partition *p = listed ? &table.part[index] : &whole;
        cl->start = p->start;
        cl->limits.capacity = p->sectors;
        cl->limits.read_only = disk->read_only;
        cl->info->capacity = cl->limits.capacity;
        cl->info->read_only = cl->limits.read_only;
        cl->info->block_size = disk->block_size;
        __atomic_store_n(&cl->info->ready, found, __ATOMIC_RELEASE);
        microkit_deferred_notify(FIRST_CLIENT + i);
    }
    phase = SERVING;
    microkit_dbg_puts("blk_virt: ");
    microkit_dbg_puts(whole_disk ? "no partition table: one partition, the whole disk" : table_kind);
    if (!whole_disk) {
        microkit_dbg_puts(", ");
        pride_dbg_put_dec(table.count);
        microkit_dbg_puts(" partitions");
    }
    microkit_dbg_puts("\n");
}

/* The step after a read of the tables completed with 'status'. */
static void tables_read(enum blk_status status)
{
    bool is_gpt = false, ok = status == BLK_OK;
    const uint64_t capacity = disk->capacity;
    if (phase == READ_MBR) {
        whole_disk = !ok || blk_looks_like_fat(scratch()) ||
                     !blk_mbr_parse(scratch(), capacity, &table, &is_gpt);
        if (whole_disk)
            table.count = 0;
        if (ok && is_gpt && !whole_disk) {
            read_own(READ_GPT, 1, 1);
            return;
        }
    } else if (phase == READ_GPT && ok && blk_gpt_header_parse(scratch(), 1, capacity, &gpt)) {
        read_own(READ_BACKUP, gpt.alternate_lba, 1);
        return;
    } else if (phase == READ_BACKUP && ok && blk_gpt_backup_matches(scratch(), 1, capacity, &gpt)) {
        read_own(READ_ENTRIES, gpt.entries_lba, blk_gpt_entry_sectors(&gpt));
        return;
    } else if (phase == READ_ENTRIES && ok && blk_gpt_entries_parse(scratch(), &gpt, &table)) {
        table_kind = "GPT";
    } else {
        table.count = 0; /* a GPT that does not check out: no partitions at all */
        table_kind = "GPT that does not check out";
    }
    publish_partitions();
}

/* Responses from the driver go to whoever the slot serves. */
static void from_driver_pass(void)
{
    struct blk_response r;
    int got;
    while ((got = blk_response_take(&from_driver, &r)) == 1) {
        if (r.id >= SLOTS || !slots[r.id].busy) {
            stats.bad_desc++;
            continue;
        }
        struct slot s = slots[r.id];
        release_slot(r.id);
        if (s.client == OWN) {
            tables_read(r.status);
        } else {
            clients[s.client].outstanding--;
            answer(s.client, s.id, r.status, r.count);
        }
    }
    if (got < 0)
        stats.bad_idx++;
}

/* Client i's next request, checked, translated and passed on: false if
 * there is none it may take now. */
static bool from_client(unsigned i)
{
    struct client *c = &clients[i];
    struct blk_request r;
    if (!num_free || ring_producer_space(&to_driver) <= 0 ||
        ring_producer_space(&c->responses) <= c->outstanding)
        return false;
    int got = blk_request_take(&c->requests, &r);
    if (got < 0)
        stats.bad_idx++;
    if (got != 1)
        return false;
    enum blk_status verdict = c->info->ready ? blk_request_check(&r, &c->limits)
                                             : BLK_ERR_NOT_READY;
    if (verdict != BLK_OK) {
        stats.bad_desc += verdict != BLK_ERR_NOT_READY;
        answer(i, r.id, verdict, 0);
        return true;
    }
    c->outstanding++;
    struct blk_request out = {r.op, take_slot((uint8_t)i, r.id),
                              blk_data_op(r.op) ? c->data_offset + r.offset : 0,
                              blk_data_op(r.op) ? c->start + r.block : 0, r.count, 0};
    blk_request_put(&to_driver, &out);
    return true;
}

/* One request from each client in turn, while any is taken. */
static void from_clients_pass(void)
{
    bool moved = num_clients > 0;
    while (moved) {
        moved = false;
        unsigned i = next_client;
        for (unsigned k = 0; k < num_clients; k++, i = i + 1 < num_clients ? i + 1 : 0)
            moved |= from_client(i);
        next_client = next_client + 1 < num_clients ? next_client + 1 : 0;
    }
}

/* Before sleeping: a signal asked for wherever more could come (a client
 * short of response room tells us when it has read some). */
static bool may_sleep(void)
{
    bool idle = ring_consumer_may_sleep(&from_driver);
    for (unsigned i = 0; phase == SERVING && i < num_clients; i++) {
        struct client *c = &clients[i];
        if (ring_producer_space(&c->responses) <= c->outstanding)
            ring_producer_request_signal(&c->responses);
        idle &= ring_producer_space(&c->responses) <= c->outstanding ||
                ring_consumer_may_sleep(&c->requests);
    }
    return idle;
}

static void serve(void)
{
    do {
        from_driver_pass();
        if (phase == SERVING)
            from_clients_pass();
    } while (!may_sleep());
    /* each neighbour may wait for something to read, or for room to write */
    if (ring_producer_must_signal(&to_driver) | ring_consumer_must_signal(&from_driver))
        microkit_deferred_notify(DRIVER);
    for (unsigned i = 0; i < num_clients; i++)
        if (ring_producer_must_signal(&clients[i].responses) |
            ring_consumer_must_signal(&clients[i].requests))
            microkit_deferred_notify(FIRST_CLIENT + i);
}

void init(void)
{
    config = pride_config(&blk_virt_config);
    num_clients = config->clients <= BLK_MAX_CLIENTS ? config->clients : 0;
    disk = (const volatile struct blk_storage_info *)(uintptr_t)config->driver_info;
    ring_producer_attach(&to_driver, (struct ring_shared *)(uintptr_t)config->driver_requests,
                         BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&from_driver, (struct ring_shared *)(uintptr_t)config->driver_responses,
                         BLK_QUEUE_CAPACITY);
    for (unsigned i = 0; i < num_clients; i++) {
        const struct blk_virt_client *c = &config->client[i];
        struct client *cl = &clients[i];
        ring_consumer_attach(&cl->requests, (struct ring_shared *)(uintptr_t)c->requests,
                             BLK_QUEUE_CAPACITY);
        ring_producer_attach(&cl->responses, (struct ring_shared *)(uintptr_t)c->responses,
                             BLK_QUEUE_CAPACITY);
        cl->info = (volatile struct blk_storage_info *)(uintptr_t)c->info;
        cl->data_offset = c->data_offset;
        cl->limits.data_size = c->data_size;
    }
    for (unsigned s = 0; s < SLOTS; s++)
        free_slots[num_free++] = (uint8_t)(SLOTS - 1 - s);
    ring_consumer_request_signal(&from_driver);
}

void notified(microkit_channel ch)
{
    if (ch == DRIVER && phase == WAIT_DRIVER && __atomic_load_n(&disk->ready, __ATOMIC_ACQUIRE))
        read_own(READ_MBR, 0, 1);
    serve();
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    return pride_stats_answer(msginfo, &stats);
}

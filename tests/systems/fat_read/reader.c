/*
 * Reads a whole FAT volume through the block driver with the FAT library
 * (lib/fat) the way the file-system server will: over a small sector cache,
 * one restartable step at a time. A step that needs a sector the cache
 * lacks gets FAT_AGAIN; the sector is asked for, and the step runs again
 * when it is in. Prints "reader: PATH SIZE CRC32" for every file and
 * "reader: done N files" (or the status that stopped it); tests/fs compares
 * with the host's view of the same files.
 * Channel: BLK_CLIENT_CH, the block driver (blk/config.h).
 */
#include <microkit.h>
#include <pride_debug.h>
#include <blk/config.h>
#include <blk/partition.h>
#include <blk/queue.h>
#include "../../../lib/fat/fat.h"

#define CACHE 64     /* sectors, in the data region */
#define MAX_DEPTH 8
#define NO_SECTOR UINT64_MAX

PRIDE_CONFIG(struct blk_client_config, blk_client_config, BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION);

static const struct blk_client_config *config;
static const volatile struct blk_storage_info *info;
static struct ring_producer requests;
static struct ring_consumer responses;

static uint64_t cached[CACHE]; /* the sector each slot holds, or NO_SECTOR */
static unsigned victim;        /* next slot to reuse */
static bool reading;           /* one miss in flight at a time */
static uint64_t reading_lba;   /* which sector it is */

static struct fat_volume volume;
static bool mounted, finished;
static struct { struct fat_dir dir; char path[FAT_PATH_MAX]; } stack[MAX_DEPTH];
static unsigned depth, files;
static struct fat_dirent entry; /* the directory entry last read: the file being read */
static bool in_file;
static char file_path[FAT_PATH_MAX];
static uint64_t file_at;
static uint32_t file_crc;

static const uint8_t *slot_data(unsigned s)
{
    return (const uint8_t *)(uintptr_t)(config->data_vaddr + (uint64_t)s * BLK_SECTOR_SIZE);
}

/* The library's view of the disk: a cached sector, or NULL and a read. */
static const uint8_t *sector(void *ctx, uint64_t lba)
{
    (void)ctx;
    for (unsigned s = 0; s < CACHE; s++)
        if (cached[s] == lba)
            return slot_data(s);
    if (!reading && lba < info->capacity) {
        struct blk_request r = {BLK_READ, victim, (uint64_t)victim * BLK_SECTOR_SIZE, lba, 1, 0};
        cached[victim] = NO_SECTOR;
        reading_lba = lba;
        reading = blk_request_put(&requests, &r);
    }
    return 0;
}

/* File data through the same cache, a sector at a time: false (the step
 * runs again) until every sector is in. */
static bool read_data(void *ctx, uint64_t lba, uint32_t count, uint8_t *dst)
{
    for (uint32_t i = 0; i < count; i++) {
        const uint8_t *s = sector(ctx, lba + i);
        if (!s)
            return false;
        for (unsigned k = 0; k < BLK_SECTOR_SIZE; k++)
            dst[i * BLK_SECTOR_SIZE + k] = s[k];
    }
    return true;
}

static const struct fat_io cache_io = {.read = sector, .read_data = read_data};

static void say(const char *a, const char *b)
{
    microkit_dbg_puts("reader: ");
    microkit_dbg_puts(a);
    microkit_dbg_puts(b);
}

static void stop(const char *why, unsigned value)
{
    say(why, " ");
    pride_dbg_put_dec(value);
    microkit_dbg_puts("\n");
    finished = true;
}

/* One step of reading the current file; false: wait for a sector. */
static bool file_step(void)
{
    uint8_t buf[BLK_SECTOR_SIZE];
    uint32_t got;
    enum fat_status st = fat_read(&volume, &entry, file_at, buf, sizeof(buf), &got);
    if (st == FAT_AGAIN)
        return false;
    if (st != FAT_OK) {
        stop("read failed, status", st);
        return false;
    }
    file_crc = blk_crc32(file_crc, buf, got);
    file_at += got;
    if (!got) {
        say(file_path, " ");
        pride_dbg_put_dec(entry.size);
        microkit_dbg_puts(" ");
        for (int k = 28; k >= 0; k -= 4)
            microkit_dbg_putc("0123456789abcdef"[file_crc >> k & 15]);
        microkit_dbg_puts("\n");
        in_file = false;
        files++;
    }
    return true;
}

static void join(char *out, const char *dir, const char *name)
{
    unsigned n = 0;
    for (const char *p = dir; *p && n < FAT_PATH_MAX - 2 && (p[0] != '/' || p[1]); p++)
        out[n++] = *p;
    out[n++] = '/';
    for (const char *p = name; *p && n < FAT_PATH_MAX - 1; p++)
        out[n++] = *p;
    out[n] = 0;
}

/* One entry of the directory on top; false: wait for a sector. */
static bool dir_step(void)
{
    struct fat_dirent *e = &entry;
    enum fat_status st = fat_readdir(&volume, &stack[depth - 1].dir, e);
    if (st == FAT_AGAIN)
        return false;
    if (st == FAT_END) {
        depth--;
    } else if (st != FAT_OK) {
        stop("directory unreadable, status", st);
        return false;
    } else if (e->dir && depth < MAX_DEPTH) {
        stack[depth].dir = (struct fat_dir){e->first_cluster, 0, 0, 0};
        join(stack[depth].path, stack[depth - 1].path, e->name);
        depth++;
    } else if (!e->dir) {
        join(file_path, stack[depth - 1].path, e->name);
        file_at = 0;
        file_crc = 0;
        in_file = true;
    }
    return true;
}

static void run(void)
{
    if (!mounted) {
        enum fat_status st = fat_mount(&volume, &cache_io, 0, info->capacity, false);
        if (st == FAT_AGAIN)
            return;
        if (st != FAT_OK) {
            stop("no FAT volume, status", st);
            return;
        }
        mounted = true;
        depth = 1;
        stack[0].dir = (struct fat_dir){volume.root_cluster, 0, 0, 0};
        stack[0].path[0] = '/';
    }
    while (!finished && (in_file ? file_step() : depth ? dir_step() : (stop("done", files), false)))
        ;
}

void init(void)
{
    config = pride_config(&blk_client_config);
    info = (const volatile struct blk_storage_info *)(uintptr_t)config->info;
    ring_producer_attach(&requests, (struct ring_shared *)(uintptr_t)config->requests, BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&responses, (struct ring_shared *)(uintptr_t)config->responses,
                         BLK_QUEUE_CAPACITY);
    ring_consumer_request_signal(&responses);
    for (unsigned s = 0; s < CACHE; s++)
        cached[s] = NO_SECTOR;
}

/* A read came back: that slot holds its sector now; the stalled step
 * runs again. */
static void collect(void)
{
    struct blk_response r;
    while (blk_response_take(&responses, &r) == 1) {
        if (r.id >= CACHE || !reading)
            continue;
        reading = false;
        if (r.status != BLK_OK) {
            stop("disk read failed, status", r.status);
            return;
        }
        cached[r.id] = reading_lba;
        victim = (victim + 1) % CACHE;
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
    if (!__atomic_load_n(&info->ready, __ATOMIC_ACQUIRE) || finished)
        return;
    do
        collect();
    while (!ring_consumer_may_sleep(&responses));
    if (!finished && !reading)
        run();
    if (ring_producer_must_signal(&requests))
        microkit_deferred_notify(BLK_CLIENT_CH);
}

/*
 * The FAT file-system server: one per partition, serving one client the
 * file-system protocol (fs/protocol.h) over the FAT library (lib/fat).
 *
 * Each command runs in a worker coroutine of its own (lib/co), so the
 * server keeps taking and answering commands while a worker waits for the
 * disk; up to FS_WORKERS run at once. Commands that only read share the
 * volume; a command that changes it runs alone (a readers-writer lock
 * between workers, writers first), so the library never sees a half-made
 * change. Metadata goes through a write-back sector cache (set-associative,
 * in the block data region so the device fills it directly); file data
 * goes through each worker's staging buffer, straight between the device
 * and the client's data region with one copy. The library's write order
 * and commits (lib/fat/fat.h) do the rest; FS_SYNC ends in a device FLUSH.
 *
 * Everything the client writes is checked before it is followed: commands
 * (fs_command_check), handles, paths (copied out of the shared region
 * before they are looked at). Open files cannot be removed or renamed
 * (FS_ERR_BUSY): FAT has no inodes to keep them alive by.
 *
 * Protected calls report its statistics (pride/stats.h: commands
 * answered; bad descriptors are commands refused by fs_command_check and
 * device responses that answer nothing asked; impossible queue indices).
 *
 * Channels: FS_CH the client and FS_SERVER_STATS_CH a statistics reader
 * (fs/config.h), BLK_CLIENT_CH the block driver or virtualiser
 * (blk/config.h), and the RTC's (rtc/client.h).
 */
#include <stddef.h>
#include <string.h>
#include <microkit.h>
#include <pride_debug.h>
#include <pride/stats.h>
#include <blk/config.h>
#include <blk/queue.h>
#include <fs/config.h>
#include <fs/protocol.h>
#include <rtc/client.h>
#include "../../lib/co/co.h"
#include "../../lib/fat/fat.h"

#define FS_WORKERS 4
#define WORKER_STACK 16384
#define CACHE_SETS 32
#define CACHE_WAYS 4
#define CACHE_LINES (CACHE_SETS * CACHE_WAYS)
#define STAGING_BYTES (FAT_IO_MAX_SECTORS * BLK_SECTOR_SIZE)
#define BLK_DATA_NEEDED (CACHE_LINES * BLK_SECTOR_SIZE + FS_WORKERS * STAGING_BYTES)

PRIDE_CONFIG(struct fs_config, fs_server_config, FS_SERVER_MAGIC, FS_CONFIG_VERSION);
PRIDE_CONFIG(struct blk_client_config, blk_client_config, BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION);

/* ---- state ---- */

static const struct fs_config *fs;
static const struct blk_client_config *blk;
static const volatile struct blk_storage_info *info;
static struct ring_consumer commands;
static struct ring_producer completions;
static struct ring_producer blk_requests;
static struct ring_consumer blk_responses;
static uint8_t *client_data, *blk_data;
static bool broken; /* a queue was corrupt, or the config wrong: serve nothing more */
static struct pride_stats stats = {.unit = PRIDE_STATS_REQUESTS};

/* A device request in flight, by its id. */
struct io {
    unsigned pending;
    bool failed;
};
static struct io *in_flight[BLK_QUEUE_CAPACITY];

enum line_state { LINE_EMPTY, LINE_LOADING, LINE_VALID };
struct line {
    uint64_t lba;
    uint8_t state;
    bool dirty;
    uint32_t used; /* for least-recently-used choice within a set */
};
static struct line lines[CACHE_LINES];
static uint32_t clock_now;

struct worker {
    struct co co;
    bool busy;
    struct fs_command cmd;
    uint8_t *staging;
    _Alignas(16) uint8_t stack[WORKER_STACK];
};
static struct worker workers[FS_WORKERS];
static unsigned busy_workers; /* of them, running a command */
static struct worker *self; /* the worker running now */
static struct co handler;   /* the event handler's context */
static uint64_t wakeups;    /* events that may let a waiting worker go on */

static struct fat_volume volume;
static enum { UNMOUNTED, MOUNTING, MOUNTED, NO_VOLUME } mount_state;
static unsigned readers;
static bool writer;
static unsigned writers_waiting;

/* Open files: a node per file (shared by its handles), a handle per OPEN. */
struct node {
    unsigned refs;
    struct fat_dirent d;
    struct fat_marks marks; /* for seeks in its chain */
};
struct handle {
    struct node *node;
    bool writable;
};
static struct node nodes[FS_MAX_OPEN];
static struct handle handles[FS_MAX_OPEN];

/* ---- waiting ---- */

/* Back to the event handler until the next event. */
static void wait_event(void)
{
    co_switch(&self->co, &handler);
}

static bool io_wait(struct io *io)
{
    while (io->pending)
        wait_event();
    return !io->failed;
}

/* ---- the block device ---- */

static unsigned free_request_id(void)
{
    for (;;) {
        for (unsigned id = 0; id < BLK_QUEUE_CAPACITY; id++)
            if (!in_flight[id])
                return id;
        wait_event();
    }
}

/* A request for io's sake; waits while the request queue is full. */
static void submit(uint32_t op, uint64_t lba, uint32_t count, uint64_t offset, struct io *io)
{
    unsigned id = free_request_id();
    struct blk_request r = {op, id, offset, lba, count, 0};
    while (!broken && !blk_request_put(&blk_requests, &r)) {
        ring_producer_request_signal(&blk_requests);
        wait_event();
    }
    in_flight[id] = io;
    io->pending++;
}

static bool device_call(uint32_t op, uint64_t lba, uint32_t count, uint64_t offset)
{
    struct io io = {0, false};
    if (op != BLK_FLUSH && (lba > info->capacity || count > info->capacity - lba))
        return false;
    submit(op, lba, count, offset, &io);
    return io_wait(&io);
}

static void collect_responses(void)
{
    struct blk_response r;
    int got;
    while ((got = blk_response_take(&blk_responses, &r)) == 1) {
        struct io *io = r.id < BLK_QUEUE_CAPACITY ? in_flight[r.id] : NULL;
        if (!io) {
            stats.bad_desc++; /* answers nothing we asked: dropped */
            continue;
        }
        in_flight[r.id] = NULL;
        io->failed |= r.status != BLK_OK;
        io->pending--;
        wakeups++;
    }
    if (got < 0) {
        stats.bad_idx++;
        broken = true;
    }
}

/* ---- the sector cache ---- */

static uint8_t *line_data(const struct line *l)
{
    return blk_data + (uint64_t)(l - lines) * BLK_SECTOR_SIZE;
}

static uint64_t line_offset(const struct line *l)
{
    return (uint64_t)(l - lines) * BLK_SECTOR_SIZE;
}

static struct line *find_line(uint64_t lba)
{
    struct line *set = &lines[(lba % CACHE_SETS) * CACHE_WAYS];
    for (unsigned w = 0; w < CACHE_WAYS; w++)
        if (set[w].state != LINE_EMPTY && set[w].lba == lba)
            return &set[w];
    return NULL;
}

/* The least recently used clean, settled line of lba's set, or NULL. */
static struct line *victim(uint64_t lba)
{
    struct line *set = &lines[(lba % CACHE_SETS) * CACHE_WAYS], *best = NULL;
    for (unsigned w = 0; w < CACHE_WAYS; w++) {
        struct line *l = &set[w];
        if (l->state == LINE_LOADING || l->dirty)
            continue;
        if (!best || l->state == LINE_EMPTY || (best->state != LINE_EMPTY && l->used < best->used))
            best = l;
    }
    return best;
}

static bool commit_lines(void *ctx, bool flush);

/* A line for lba not yet holding it (state still EMPTY): room is made by
 * committing when every line of the set is dirty. */
static struct line *claim_line(uint64_t lba)
{
    for (;;) {
        struct line *l = victim(lba);
        if (l) {
            l->state = LINE_EMPTY;
            l->dirty = false;
            return l;
        }
        if (!commit_lines(NULL, false))
            wait_event();
    }
}

static bool load_line(struct line *l, uint64_t lba)
{
    l->lba = lba;
    l->state = LINE_LOADING;
    bool ok = device_call(BLK_READ, lba, 1, line_offset(l));
    l->state = ok ? LINE_VALID : LINE_EMPTY;
    wakeups++;
    return ok;
}

/* lba's line, loaded (load) or zeroed; NULL if the device failed. */
static struct line *get_line(uint64_t lba, bool load)
{
    for (;;) {
        struct line *l = find_line(lba);
        if (l && l->state == LINE_LOADING) {
            wait_event();
            continue;
        }
        if (!l) {
            l = claim_line(lba);
            if (find_line(lba)) /* another worker got it in meanwhile */
                continue;
            if (load && !load_line(l, lba))
                return NULL;
            if (!load)
                memset(line_data(l), 0, BLK_SECTOR_SIZE), l->lba = lba, l->state = LINE_VALID;
        }
        l->used = ++clock_now;
        return l;
    }
}

static const uint8_t *cache_read(void *ctx, uint64_t lba)
{
    (void)ctx;
    struct line *l = get_line(lba, true);
    return l ? line_data(l) : NULL;
}

static uint8_t *cache_modify(void *ctx, uint64_t lba)
{
    (void)ctx;
    struct line *l = get_line(lba, true);
    if (l)
        l->dirty = true;
    return l ? line_data(l) : NULL;
}

static uint8_t *cache_fresh(void *ctx, uint64_t lba)
{
    (void)ctx;
    struct line *l = get_line(lba, false);
    if (l) {
        memset(line_data(l), 0, BLK_SECTOR_SIZE);
        l->dirty = true;
    }
    return l ? line_data(l) : NULL;
}

/* Writes every dirty line in [low, high) and waits for them all. */
static bool write_back(uint64_t low, uint64_t high)
{
    struct io io = {0, false};
    for (unsigned i = 0; i < CACHE_LINES; i++) {
        struct line *l = &lines[i];
        if (l->dirty && l->lba >= low && l->lba < high) {
            l->dirty = false;
            submit(BLK_WRITE, l->lba, 1, line_offset(l), &io);
        }
    }
    bool ok = io_wait(&io);
    wakeups++;
    return ok;
}

/* The FAT area first, then the rest (directories, FSInfo). One commit at
 * a time: readers may commit too (a set full of lines a write left dirty),
 * and a second commit's directories must not overtake the first's FATs. */
static bool commit_lines(void *ctx, bool flush)
{
    static bool committing;
    (void)ctx;
    while (committing)
        wait_event();
    committing = true;
    bool ok = write_back(volume.fat_start, volume.root_start) && write_back(0, volume.fat_start) &&
              write_back(volume.root_start, UINT64_MAX);
    ok = ok && (!flush || device_call(BLK_FLUSH, 0, 0, 0));
    committing = false;
    wakeups++;
    return ok;
}

/* Where the device can move data at p straight to or from: its offset in
 * the block data region, if p lies sector-aligned in the client's region
 * and that region follows ours in the DMA window (fs/config.h). */
static bool direct_offset(const uint8_t *p, uint64_t *offset)
{
    uint64_t at = (uint64_t)(p - client_data);
    if (fs->blk_offset == FS_NOT_IN_BLOCK_DATA || p < client_data || at >= fs->data_size ||
        at % BLK_SECTOR_SIZE)
        return false;
    *offset = fs->blk_offset + at;
    return true;
}

/* File data: straight into the client's region when the device can reach
 * it, else through the worker's staging buffer. */
static bool read_data(void *ctx, uint64_t lba, uint32_t count, uint8_t *dst)
{
    uint64_t offset;
    (void)ctx;
    if (direct_offset(dst, &offset))
        return device_call(BLK_READ, lba, count, offset);
    if (!device_call(BLK_READ, lba, count, (uint64_t)(self->staging - blk_data)))
        return false;
    memcpy(dst, self->staging, (size_t)count * BLK_SECTOR_SIZE);
    return true;
}

static bool write_data(void *ctx, uint64_t lba, uint32_t count, const uint8_t *src)
{
    uint64_t offset;
    (void)ctx;
    if (direct_offset(src, &offset))
        return device_call(BLK_WRITE, lba, count, offset);
    memcpy(self->staging, src, (size_t)count * BLK_SECTOR_SIZE);
    return device_call(BLK_WRITE, lba, count, (uint64_t)(self->staging - blk_data));
}

static const struct fat_io cache_io = {cache_read, cache_modify, cache_fresh, commit_lines,
                                       read_data, write_data};

/* ---- the volume lock ---- */

static void lock(bool exclusive)
{
    if (exclusive) {
        writers_waiting++;
        while (writer || readers)
            wait_event();
        writers_waiting--;
        writer = true;
    } else {
        while (writer || writers_waiting)
            wait_event();
        readers++;
    }
}

static void unlock(bool exclusive)
{
    writer &= !exclusive;
    readers -= !exclusive;
    wakeups++;
}

/* The volume, mounted by the first command that finds it not yet. */
static enum fs_status ensure_mounted(void)
{
    while (mount_state == MOUNTING ||
           (mount_state == UNMOUNTED && !__atomic_load_n(&info->ready, __ATOMIC_ACQUIRE)))
        wait_event();
    if (mount_state == UNMOUNTED) {
        mount_state = MOUNTING;
        enum fat_status st = fat_mount(&volume, &cache_io, NULL, info->capacity, !info->read_only);
        mount_state = st == FAT_OK ? MOUNTED : NO_VOLUME;
        wakeups++;
        microkit_dbg_puts(st == FAT_OK ? "fs_fat: FAT volume mounted\n" : "fs_fat: no FAT volume\n");
    }
    return mount_state == MOUNTED ? FS_OK : FS_ERR_NO_VOLUME;
}

/* ---- helpers of the commands ---- */

static enum fs_status status_of(enum fat_status st)
{
    static const uint8_t map[] = {
        [FAT_OK] = FS_OK,           [FAT_AGAIN] = FS_ERR_IO,         [FAT_CORRUPT] = FS_ERR_IO,
        [FAT_NOT_FOUND] = FS_ERR_NOT_FOUND, [FAT_NOT_DIR] = FS_ERR_NOT_DIR,
        [FAT_IS_DIR] = FS_ERR_IS_DIR, [FAT_BAD_PATH] = FS_ERR_INVALID, [FAT_END] = FS_OK,
        [FAT_EXISTS] = FS_ERR_EXISTS, [FAT_NO_SPACE] = FS_ERR_NO_SPACE,
        [FAT_NOT_EMPTY] = FS_ERR_NOT_EMPTY, [FAT_READ_ONLY] = FS_ERR_READ_ONLY,
        [FAT_INVALID] = FS_ERR_INVALID,
    };
    return st < sizeof(map) ? map[st] : FS_ERR_IO;
}

static uint64_t now(void)
{
    uint64_t seconds;
    return rtc_now(&seconds) ? seconds : 0;
}

/* A path out of the shared region into path (so the client cannot change
 * it while it is used); FS_ERR_INVALID if it holds a NUL. */
static enum fs_status copy_path(uint64_t offset, uint32_t len, char path[FS_PATH_MAX + 1])
{
    memcpy(path, client_data + offset, len);
    path[len] = 0;
    return strlen(path) == len ? FS_OK : FS_ERR_INVALID;
}

static struct handle *handle_of(uint32_t h)
{
    return h < FS_MAX_OPEN && handles[h].node ? &handles[h] : NULL;
}

static struct node *node_at(uint32_t parent, uint32_t index)
{
    for (unsigned i = 0; i < FS_MAX_OPEN; i++)
        if (nodes[i].refs && nodes[i].d.parent == parent && nodes[i].d.index == index)
            return &nodes[i];
    return NULL;
}

/* Is the file at path open? (for removals and renames) */
static enum fs_status check_not_open(const char *path)
{
    struct fat_dirent d;
    enum fat_status st = fat_lookup(&volume, path, &d);
    if (st == FAT_NOT_FOUND)
        return FS_OK;
    return st != FAT_OK ? status_of(st) : node_at(d.parent, d.index) ? FS_ERR_BUSY : FS_OK;
}

/* d's status into the client's region at offset (which may be unaligned). */
static void put_stat(const struct fat_dirent *d, uint64_t offset)
{
    struct fs_stat s = {d->size, fat_unix_time(d->write_date, d->write_time),
                        fat_unix_time(d->create_date, d->create_time),
                        d->dir ? FS_MODE_DIR : FS_MODE_FILE,
                        volume.sectors_per_cluster * FAT_SECTOR_SIZE};
    memcpy(client_data + offset, &s, sizeof(s));
}

/* A handle on d (a node shared with its other handles). */
static enum fs_status new_handle(const struct fat_dirent *d, bool writable, uint64_t *out)
{
    struct node *n = node_at(d->parent, d->index);
    unsigned h = 0;
    while (h < FS_MAX_OPEN && handles[h].node)
        h++;
    for (unsigned i = 0; !n && i < FS_MAX_OPEN; i++)
        if (!nodes[i].refs) {
            n = &nodes[i], n->d = *d;
            n->marks.count = n->marks.stride_log2 = 0;
            n->d.marks = &n->marks;
        }
    if (h == FS_MAX_OPEN || !n)
        return FS_ERR_TOO_MANY;
    n->refs++;
    handles[h] = (struct handle){n, writable};
    *out = h;
    return FS_OK;
}

/* ---- the commands ---- */

static enum fs_status do_open(const struct fs_command *c, const char *path, uint64_t *value)
{
    struct fat_dirent *d = &(struct fat_dirent){0};
    uint32_t f = c->flags;
    enum fat_status st = fat_lookup(&volume, path, d);
    if (st == FAT_NOT_FOUND && (f & FS_O_CREATE))
        st = (f & FS_O_WRITE) ? fat_create(&volume, path, false, now(), d) : FAT_INVALID;
    else if (st == FAT_OK && (f & FS_O_CREATE) && (f & FS_O_EXCL))
        st = FAT_EXISTS;
    if (st != FAT_OK)
        return status_of(st);
    if ((f & FS_O_DIRECTORY) && !d->dir)
        return FS_ERR_NOT_DIR;
    if (d->dir && (f & (FS_O_WRITE | FS_O_TRUNCATE)))
        return FS_ERR_IS_DIR;
    if ((f & FS_O_WRITE) && !volume.writable)
        return FS_ERR_READ_ONLY;
    if (f & FS_O_TRUNCATE) {
        struct node *n = node_at(d->parent, d->index);
        st = (f & FS_O_WRITE) ? fat_truncate(&volume, n ? &n->d : d, 0, now()) : FAT_INVALID;
        if (st != FAT_OK)
            return status_of(st);
    }
    enum fs_status opened = new_handle(d, f & FS_O_WRITE, value);
    if (opened == FS_OK && (f & FS_O_STAT)) /* as its node has it: open handles write through it */
        put_stat(&handles[*value].node->d, c->data_offset);
    return opened;
}

/* A handle let go; what its writes left in the cache is written back (a
 * closed file's metadata does not wait for the next sync). */
static enum fs_status do_close(const struct fs_command *c)
{
    struct handle *h = handle_of(c->handle);
    if (!h)
        return FS_ERR_BAD_HANDLE;
    bool wrote = h->writable;
    h->node->refs--;
    *h = (struct handle){NULL, false};
    return wrote ? status_of(fat_write_back(&volume)) : FS_OK;
}

static enum fs_status do_read(const struct fs_command *c, struct handle *h, uint64_t *value)
{
    uint32_t got;
    enum fat_status st = fat_read(&volume, &h->node->d, c->offset, client_data + c->data_offset,
                                  c->count, &got);
    *value = got;
    return status_of(st);
}

static enum fs_status do_write(const struct fs_command *c, struct handle *h, uint64_t *value,
                               uint64_t *value2)
{
    struct fat_dirent *d = &h->node->d;
    uint64_t at = c->flags & FS_WRITE_APPEND ? d->size : c->offset;
    uint32_t done;
    if (!h->writable)
        return FS_ERR_BAD_HANDLE;
    enum fat_status st = fat_write(&volume, d, at, client_data + c->data_offset, c->count, now(),
                                   &done);
    *value = done, *value2 = at + done;
    return done && st == FAT_NO_SPACE ? FS_OK : status_of(st); /* a short write is no error */
}

static enum fs_status do_readdir(const struct fs_command *c, struct handle *h, uint64_t *value,
                                 uint64_t *value2)
{
    struct fat_dirent *e = &(struct fat_dirent){0};
    struct fat_dir pos = {h->node->d.first_cluster, (uint32_t)c->offset, 0, 0};
    if (!h->node->d.dir)
        return FS_ERR_NOT_DIR;
    if (c->offset > UINT32_MAX)
        return FS_ERR_INVALID;
    enum fat_status st = fat_readdir(&volume, &pos, e);
    if (st != FAT_OK)
        return status_of(st);
    put_stat(e, c->data_offset);
    memcpy(client_data + c->data_offset + offsetof(struct fs_dirent, name), e->name,
           strlen(e->name) + 1);
    *value = 1, *value2 = pos.next;
    return FS_OK;
}

/* Commands on a handle. */
static enum fs_status on_handle(const struct fs_command *c, uint64_t *value, uint64_t *value2)
{
    struct handle *h = handle_of(c->handle);
    if (!h)
        return FS_ERR_BAD_HANDLE;
    switch (c->op) {
    case FS_READ:
        return do_read(c, h, value);
    case FS_WRITE:
        return do_write(c, h, value, value2);
    case FS_TRUNCATE:
        if (!h->writable || c->offset > UINT32_MAX)
            return h->writable ? FS_ERR_NO_SPACE : FS_ERR_BAD_HANDLE;
        return status_of(fat_truncate(&volume, &h->node->d, (uint32_t)c->offset, now()));
    case FS_FSTAT:
        put_stat(&h->node->d, c->data_offset);
        return FS_OK;
    default:
        return do_readdir(c, h, value, value2);
    }
}

static enum fs_status do_statfs(const struct fs_command *c)
{
    uint32_t free;
    enum fat_status st = fat_free_clusters(&volume, &free);
    struct fs_statfs s = {volume.sectors_per_cluster * FAT_SECTOR_SIZE, volume.clusters, free};
    if (st == FAT_OK)
        memcpy(client_data + c->data_offset, &s, sizeof(s));
    return status_of(st);
}

/* Commands on paths (RENAME's second path follows its first). */
static enum fs_status on_path(const struct fs_command *c, const char *path, uint64_t *value)
{
    static char to[FS_WORKERS][FS_PATH_MAX + 1];
    struct fat_dirent d; /* zeroed only where it is used: a GET's OPEN has its own */
    enum fs_status st;
    switch (c->op) {
    case FS_OPEN:
        return do_open(c, path, value);
    case FS_STAT:
        d = (struct fat_dirent){0};
        st = status_of(fat_lookup(&volume, path, &d));
        if (st == FS_OK)
            put_stat(&d, c->data_offset);
        return st;
    case FS_MKDIR:
        d = (struct fat_dirent){0};
        return status_of(fat_create(&volume, path, true, now(), &d));
    case FS_UNLINK:
    case FS_RMDIR:
        st = check_not_open(path);
        return st != FS_OK ? st : status_of(c->op == FS_UNLINK ? fat_unlink(&volume, path)
                                                                 : fat_rmdir(&volume, path));
    default: /* FS_RENAME */
        st = copy_path(c->data_offset + c->count, c->count2, to[self - workers]);
        if (st == FS_OK)
            st = check_not_open(path);
        if (st == FS_OK)
            st = check_not_open(to[self - workers]);
        return st != FS_OK ? st : status_of(fat_rename(&volume, path, to[self - workers], now()));
    }
}

static bool changes_volume(const struct fs_command *c)
{
    return c->op == FS_WRITE || c->op == FS_TRUNCATE || c->op == FS_CLOSE || c->op == FS_SYNC || c->op == FS_UNLINK ||
           c->op == FS_MKDIR || c->op == FS_RMDIR || c->op == FS_RENAME ||
           (c->op == FS_OPEN && (c->flags & (FS_O_CREATE | FS_O_TRUNCATE)));
}

static enum fs_status run_command(const struct fs_command *c, uint64_t *value, uint64_t *value2)
{
    static char paths[FS_WORKERS][FS_PATH_MAX + 1];
    char *path = paths[self - workers];
    enum fs_status st = ensure_mounted();
    if (st == FS_OK && fs_has_path(c->op))
        st = copy_path(c->data_offset, c->count, path);
    if (st != FS_OK)
        return st;
    bool exclusive = changes_volume(c);
    lock(exclusive);
    if (c->op == FS_CLOSE)
        st = do_close(c);
    else if (c->op == FS_STATFS || c->op == FS_SYNC)
        st = c->op == FS_SYNC ? status_of(fat_sync(&volume)) : do_statfs(c);
    else
        st = fs_has_path(c->op) ? on_path(c, path, value) : on_handle(c, value, value2);
    unlock(exclusive);
    return st;
}

/* ---- workers and the event loop ---- */

static void complete(const struct fs_completion *done)
{
    if (!fs_completion_put(&completions, done))
        stats.bad_idx++; /* room was checked: the client broke its index */
}

static void worker_main(void *arg)
{
    struct worker *w = arg;
    for (;;) {
        struct fs_completion done = {w->cmd.id, FS_OK, 0, 0};
        done.status = run_command(&w->cmd, &done.value, &done.value2);
        complete(&done); /* room: see take_commands */
        w->busy = false;
        busy_workers--;
        wakeups++;
        wait_event();
    }
}


static void resume(struct worker *w)
{
    self = w;
    co_switch(&handler, &w->co);
    self = NULL;
    if (!co_stack_intact(&w->co)) {
        microkit_dbg_puts("fs_fat: a worker overflowed its stack\n");
        broken = true;
    }
}

/* Starts a worker on c, or answers a bad command at once. */
static void start(const struct fs_command *c)
{
    enum fs_status st = fs_command_check(c, fs->data_size);
    if (st != FS_OK) {
        struct fs_completion bad = {c->id, st, 0, 0};
        stats.bad_desc++;
        complete(&bad);
        return;
    }
    struct worker *w = &workers[0];
    while (w->busy)
        w++;
    w->cmd = *c;
    w->busy = true;
    busy_workers++;
    resume(w);
}

/* A command is taken only while a worker is free and the completion queue
 * has room for its answer and every running worker's. */
static bool may_take(void)
{
    int64_t space = ring_producer_space(&completions);
    if (space > (int64_t)busy_workers)
        return busy_workers < FS_WORKERS;
    if (space < 0)
        stats.bad_idx++; /* the client's head is impossible: it never makes room */
    ring_producer_request_signal(&completions); /* the client tells us when it made room */
    return false;
}

static void take_commands(void)
{
    struct fs_command c;
    while (!broken && may_take()) {
        int got = fs_command_take(&commands, &c);
        if (got < 0) {
            stats.bad_idx++;
            broken = true;
        }
        if (got <= 0)
            break;
        start(&c);
    }
}

/* Every busy worker runs until it waits again, over and over while
 * something it may be waiting for happened. */
static void run_workers(void)
{
    uint64_t seen;
    do {
        seen = wakeups;
        take_commands();
        for (unsigned i = 0; i < FS_WORKERS && !broken; i++)
            if (workers[i].busy)
                resume(&workers[i]);
    } while (seen != wakeups && !broken);
}

void init(void)
{
    fs = pride_config(&fs_server_config);
    blk = pride_config(&blk_client_config);
    info = (const volatile struct blk_storage_info *)(uintptr_t)blk->info;
    client_data = (uint8_t *)(uintptr_t)fs->data_vaddr;
    blk_data = (uint8_t *)(uintptr_t)blk->data_vaddr;
    ring_consumer_attach(&commands, (struct ring_shared *)(uintptr_t)fs->commands, FS_QUEUE_CAPACITY);
    ring_producer_attach(&completions, (struct ring_shared *)(uintptr_t)fs->completions,
                         FS_QUEUE_CAPACITY);
    ring_producer_attach(&blk_requests, (struct ring_shared *)(uintptr_t)blk->requests,
                         BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&blk_responses, (struct ring_shared *)(uintptr_t)blk->responses,
                         BLK_QUEUE_CAPACITY);
    ring_consumer_request_signal(&commands);
    ring_consumer_request_signal(&blk_responses);
    uint64_t own = fs->blk_offset == FS_NOT_IN_BLOCK_DATA ? blk->data_size : fs->blk_offset;
    broken = own < BLK_DATA_NEEDED ||
             (fs->blk_offset != FS_NOT_IN_BLOCK_DATA && blk->data_size - own < fs->data_size);
    if (broken)
        microkit_dbg_puts("fs_fat: the block data region is too small\n");
    for (unsigned i = 0; i < FS_WORKERS; i++) {
        workers[i].staging = blk_data + CACHE_LINES * BLK_SECTOR_SIZE + i * STAGING_BYTES;
        co_init(&workers[i].co, workers[i].stack, WORKER_STACK, worker_main, &workers[i]);
    }
}

void notified(microkit_channel ch)
{
    (void)ch;
    if (broken)
        return;
    do {
        collect_responses();
        run_workers();
    } while (!broken && !(ring_consumer_may_sleep(&blk_responses) &&
                          (!may_take() || ring_consumer_may_sleep(&commands))));
    /* the driver may wait for requests, or for room to answer; the client
     * for answers, or for room to ask */
    if (ring_producer_must_signal(&blk_requests) | ring_consumer_must_signal(&blk_responses))
        microkit_deferred_notify(BLK_CLIENT_CH);
    if (ring_producer_must_signal(&completions) | ring_consumer_must_signal(&commands))
        microkit_deferred_notify(FS_CH);
    if (broken)
        microkit_dbg_puts("fs_fat: a queue is corrupt: stopped\n");
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = completions.tail; /* one completion published per command answered */
    return pride_stats_answer(msginfo, &stats);
}

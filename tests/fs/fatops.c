/*
 * Host check of the FAT library's write side (lib/fat), built with
 * ASan/UBSan, on images made by mkfs.fat.
 *
 *   fatops [-t NOW] [-s SECTORS] [-M SEED] [-c WRITES] IMAGE [COMMAND...]
 *
 * Mounts IMAGE writable and runs the commands (each argument one, or else
 * one a line from stdin), printing one line for each that starts with the
 * fat_status name: "OK mkdir /d", "EXISTS mkdir /d", "OK get /f 5 3610a686".
 * At the end the image is written back.
 *
 *   write PATH TEXT       the file holds TEXT (made if missing)
 *   append PATH TEXT      TEXT at its end (made if missing)
 *   pwrite PATH OFF TEXT  TEXT at byte OFF (a gap reads as zeros)
 *   put PATH HOSTFILE     the host file, in odd-sized pieces
 *   get PATH              its size and CRC32, read in odd-sized pieces
 *   mkdir, rm, rmdir PATH;  mv FROM TO;  truncate PATH SIZE
 *   fill PATH             writes until the disk is full: bytes and CRC32
 *   ls DIR, stat PATH, df, sync, stats
 * A field with blanks is written "in quotes"; a line starting with # is
 * skipped.
 *
 * The disk is the image in memory behind a small write-back cache of the
 * kind a PD would keep, so the library meets evictions and early commits.
 * fatops checks the library's promises about its use of struct fat_io and
 * reports a break on stderr as "fatops: violation: ..." (exit status 3):
 * no sector past the volume is asked for; file data moves only within the
 * data area, never over a sector dirty in the cache, in 1..128 sectors; a
 * pointer the cache hands out is used only until the next io call (the
 * other lines are poisoned for ASan); nothing is left dirty when a call
 * returns (unless it stopped as FAT_CORRUPT or FAT_AGAIN); the reserved
 * sectors are left alone but for FSInfo; every FAT copy is the same after
 * a call; a rename flushes; a write leaves the entry on the disk saying
 * what the open file says.
 *
 * -t NOW      the time the changes are made at (default 2026-01-01)
 * -s SECTORS  the volume's size: sectors past it are not the library's
 * -M SEED     first changes random bytes in the boot sector, the FATs, the
 *             root and the first clusters, and for an odd SEED one of the
 *             BPB's too (the FAT copies may then differ; fatops then checks
 *             only what must hold on any volume)
 * -c WRITES   a power cut: the image written back holds only the first
 *             WRITES sectors written, in order
 */
#define _POSIX_C_SOURCE 200809L
#include "../../lib/fat/fat.h"
#include <blk/partition.h> /* blk_crc32 */

#include "../disk_image.h"
#include <sanitizer/asan_interface.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINES 16              /* small, so that a busy call fills the cache */
#define MAX_LINE 16384        /* of a command */
#define MAX_LISTED 4096       /* names ls keeps to sort */
#define MAX_VIOLATIONS_SHOWN 20
#define FILL_CHUNK (65536 + 123)

static uint8_t *disk, *persist; /* persist: the image as a power cut leaves it */
static uint64_t sectors, limit; /* limit: the first sector not the library's */
static uint64_t now = 1767225600, cut = UINT64_MAX, writes;
static struct fat_volume vol;
static bool mounted, mutant;
static unsigned violations;
static const char *current = "mount"; /* the command running, for reports */
static struct {
    unsigned long reads, modifies, fresh, commits, early, flushes, data_in, data_out;
} stats;

/* ---- reports ---- */

static const char *status_name(enum fat_status st)
{
    static const char *const names[] = {"OK",       "AGAIN",  "CORRUPT",  "NOT_FOUND", "NOT_DIR",
                                        "IS_DIR",   "BAD_PATH", "END",    "EXISTS",    "NO_SPACE",
                                        "NOT_EMPTY", "READ_ONLY", "INVALID"};
    static char other[32];
    if ((unsigned)st < sizeof(names) / sizeof(names[0]))
        return names[st];
    snprintf(other, sizeof(other), "STATUS_%u", (unsigned)st);
    return other;
}

static void violation(const char *fmt, ...)
{
    if (violations++ >= MAX_VIOLATIONS_SHOWN)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fatops: violation: [%s] ", current);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void report(enum fat_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%s ", status_name(st));
    vprintf(fmt, ap);
    putchar('\n');
    fflush(stdout); /* so a crash leaves the lines before it */
    va_end(ap);
}

/* ---- the disk: writes, and a power cut ---- */

static void store(uint64_t lba, const uint8_t *src)
{
    memcpy(disk + lba * FAT_SECTOR_SIZE, src, FAT_SECTOR_SIZE);
    if (persist && writes < cut)
        memcpy(persist + lba * FAT_SECTOR_SIZE, src, FAT_SECTOR_SIZE);
    writes++;
}

/* ---- the cache ---- */

struct line {
    uint64_t lba;
    bool used, dirty;
};
static struct line lines[LINES];
/* apart from the bookkeeping, so it alone can be poisoned */
static _Alignas(64) uint8_t line_data[LINES][FAT_SECTOR_SIZE];
static unsigned hand; /* the next line to reuse: first in, first out */

/* Every io call starts with the cache's own access to every line... */
static void enter(void)
{
    ASAN_UNPOISON_MEMORY_REGION(line_data, sizeof(line_data));
}

/* ...and ends with only the line it hands out (-1: none) usable, since
 * the library may keep a pointer only until its next call. */
static void leave(int keep)
{
    ASAN_POISON_MEMORY_REGION(line_data, sizeof(line_data));
    if (keep >= 0)
        ASAN_UNPOISON_MEMORY_REGION(line_data[keep], FAT_SECTOR_SIZE);
}

static bool in_fat_area(uint64_t lba)
{
    return mounted && lba >= vol.fat_start && lba < vol.root_start;
}

/* Every dirty line to the disk, the FAT area's first (fat.h's rule). */
static void write_back(void)
{
    for (int pass = 0; pass < 2; pass++)
        for (unsigned i = 0; i < LINES; i++)
            if (lines[i].dirty && in_fat_area(lines[i].lba) == (pass == 0)) {
                store(lines[i].lba, line_data[i]);
                lines[i].dirty = false;
            }
}

static int find(uint64_t lba)
{
    for (unsigned i = 0; i < LINES; i++)
        if (lines[i].used && lines[i].lba == lba)
            return (int)i;
    return -1;
}

/* The line for lba, read from the disk if load; a full cache commits by
 * itself to make room, as fat.h allows. */
static int take(uint64_t lba, bool load)
{
    int i = find(lba);
    if (i >= 0)
        return i;
    i = (int)hand;
    hand = (hand + 1) % LINES;
    if (lines[i].dirty) {
        stats.early++;
        write_back();
    }
    lines[i] = (struct line){.lba = lba, .used = true};
    if (load)
        memcpy(line_data[i], disk + lba * FAT_SECTOR_SIZE, FAT_SECTOR_SIZE);
    return i;
}

static bool metadata_ok(uint64_t lba, const char *call)
{
    if (lba >= limit) {
        violation("%s of sector %llu, past the volume (%llu sectors)", call,
                  (unsigned long long)lba, (unsigned long long)limit);
        return false;
    }
    return true;
}

/* The boot sector and the rest of the reserved area are not the library's
 * to change, but for FAT32's FSInfo. */
static void check_change(uint64_t lba, const char *call)
{
    if (mounted && lba < vol.fat_start && (lba != vol.fsinfo || !vol.fsinfo))
        violation("%s of reserved sector %llu (FSInfo is %u)", call, (unsigned long long)lba,
                  vol.fsinfo);
}

static const uint8_t *io_read(void *ctx, uint64_t lba)
{
    (void)ctx;
    enter();
    int i = metadata_ok(lba, "read") ? take(lba, true) : -1;
    stats.reads++;
    leave(i);
    return i >= 0 ? line_data[i] : NULL;
}

static uint8_t *io_modify(void *ctx, uint64_t lba)
{
    (void)ctx;
    enter();
    int i = metadata_ok(lba, "modify") ? take(lba, true) : -1;
    if (i >= 0) {
        check_change(lba, "modify");
        lines[i].dirty = true;
    }
    stats.modifies++;
    leave(i);
    return i >= 0 ? line_data[i] : NULL;
}

static uint8_t *io_fresh(void *ctx, uint64_t lba)
{
    (void)ctx;
    enter();
    int i = metadata_ok(lba, "fresh") ? take(lba, false) : -1;
    if (i >= 0) {
        check_change(lba, "fresh");
        memset(line_data[i], 0, FAT_SECTOR_SIZE);
        lines[i].dirty = true;
    }
    stats.fresh++;
    leave(i);
    return i >= 0 ? line_data[i] : NULL;
}

static bool io_commit(void *ctx, bool flush)
{
    (void)ctx;
    enter();
    write_back();
    stats.commits++;
    stats.flushes += flush;
    leave(-1);
    return true;
}

/* A data transfer's checks: its size, the data area, no dirty line in it. */
static bool data_ok(uint64_t lba, uint32_t count, const char *call)
{
    if (!count || count > FAT_IO_MAX_SECTORS || lba >= limit || count > limit - lba) {
        violation("%s of %u sectors at %llu (volume: %llu sectors)", call, count,
                  (unsigned long long)lba, (unsigned long long)limit);
        return false;
    }
    if (mounted && lba < vol.data_start)
        violation("%s of %u sectors at %llu, before the data area (%llu)", call, count,
                  (unsigned long long)lba, (unsigned long long)vol.data_start);
    for (unsigned i = 0; i < LINES; i++)
        if (lines[i].dirty && lines[i].lba >= lba && lines[i].lba - lba < count)
            violation("%s of %u sectors at %llu covers sector %llu, dirty in the cache", call,
                      count, (unsigned long long)lba, (unsigned long long)lines[i].lba);
    return true;
}

static bool io_read_data(void *ctx, uint64_t lba, uint32_t count, uint8_t *dst)
{
    (void)ctx;
    enter();
    bool ok = data_ok(lba, count, "read_data");
    if (ok) {
        memcpy(dst, disk + lba * FAT_SECTOR_SIZE, (size_t)count * FAT_SECTOR_SIZE);
        stats.data_in += count;
    }
    leave(-1);
    return ok;
}

/* A clean cached copy of a sector written here would go stale: dropped. */
static bool io_write_data(void *ctx, uint64_t lba, uint32_t count, const uint8_t *src)
{
    (void)ctx;
    enter();
    bool ok = data_ok(lba, count, "write_data");
    for (uint32_t k = 0; ok && k < count; k++) {
        int i = find(lba + k);
        if (i >= 0 && !lines[i].dirty)
            lines[i].used = false;
        store(lba + k, src + (size_t)k * FAT_SECTOR_SIZE);
    }
    stats.data_out += ok ? count : 0;
    leave(-1);
    return ok;
}

static const struct fat_io cache_io = {io_read, io_modify, io_fresh, io_commit, io_read_data,
                                       io_write_data};

/* ---- checks after each library call ---- */

static bool fats_agree(void)
{
    const uint8_t *first = disk + vol.fat_start * FAT_SECTOR_SIZE;
    size_t bytes = (size_t)vol.fat_sectors * FAT_SECTOR_SIZE;
    for (uint32_t k = 1; k < vol.fats; k++)
        if (memcmp(first, first + k * bytes, bytes))
            return false;
    return true;
}

/* fat_write left its metadata in the cache: allowed until a commit. */
static bool deferred;

/* Every changing call but fat_write commits; a read changes nothing. */
static enum fat_status after(const char *call, enum fat_status st)
{
    unsigned dirty = 0;
    for (unsigned i = 0; i < LINES; i++)
        dirty += lines[i].dirty;
    deferred = (deferred || !strcmp(call, "fat_write")) && dirty;
    if (dirty && !deferred && st != FAT_CORRUPT && st != FAT_AGAIN)
        violation("%u sectors still dirty after %s answered %s", dirty, call, status_name(st));
    if (mounted && !mutant && !dirty && !fats_agree())
        violation("the FAT copies differ after %s answered %s", call, status_name(st));
    return st;
}

/* ---- commands ---- */

/* The file at path; made if missing and make is set. */
static enum fat_status open_file(const char *path, bool make, struct fat_dirent *f)
{
    enum fat_status st = after("fat_lookup", fat_lookup(&vol, path, f));
    if (st == FAT_NOT_FOUND && make)
        st = after("fat_create", fat_create(&vol, path, false, now, f));
    return st == FAT_OK && f->dir ? FAT_IS_DIR : st;
}

/* After a write, the entry on the disk says what the open file says. */
static void check_entry(const char *path, const struct fat_dirent *f)
{
    struct fat_dirent e;
    if (mutant) /* a corrupt directory may share its clusters with the file */
        return;
    enum fat_status st = after("fat_lookup", fat_lookup(&vol, path, &e));
    if (st != FAT_OK || e.size != f->size || e.first_cluster != f->first_cluster)
        violation("%s after a write: %s, size %u cluster %u on disk, %u and %u open", path,
                  status_name(st), e.size, e.first_cluster, f->size, f->first_cluster);
}

static enum fat_status write_at(const char *path, struct fat_dirent *f, uint64_t offset,
                                const uint8_t *buf, uint32_t len, uint32_t *done)
{
    uint64_t size = f->size;
    *done = 0;
    enum fat_status st = after("fat_write", fat_write(&vol, f, offset, buf, len, now, done));
    if (*done > len || (st == FAT_OK && *done != len))
        violation("fat_write of %u bytes at %llu answered %s with %u done", len,
                  (unsigned long long)offset, status_name(st), *done);
    uint64_t want = offset + *done > size ? offset + *done : size;
    if ((st == FAT_OK || st == FAT_NO_SPACE) && *done && f->size != want && !mutant)
        violation("size %u after a write to %llu, not %llu", f->size,
                  (unsigned long long)(offset + *done), (unsigned long long)want);
    if (st == FAT_OK || st == FAT_NO_SPACE)
        check_entry(path, f);
    return st;
}

static enum fat_status truncate_to(struct fat_dirent *f, uint32_t size)
{
    enum fat_status st = after("fat_truncate", fat_truncate(&vol, f, size, now));
    if (st == FAT_OK && f->size != size && !mutant)
        violation("size %u after truncating to %u", f->size, size);
    return st;
}

/* The file holds exactly len bytes of buf, written in pieces that cross
 * sector and cluster edges. */
static enum fat_status replace(const char *path, const uint8_t *buf, uint64_t len)
{
    static const uint32_t pieces[] = {7000, 1, 513, 65543, 4096};
    struct fat_dirent f;
    enum fat_status st = open_file(path, true, &f);
    if (st == FAT_OK && f.size)
        st = truncate_to(&f, 0);
    uint32_t done = 0;
    for (uint64_t at = 0, k = 0; st == FAT_OK && at < len; at += done, k++) {
        uint32_t n = pieces[k % 5];
        st = write_at(path, &f, at, buf + at, n < len - at ? n : (uint32_t)(len - at), &done);
    }
    return st;
}

static void cmd_write(char **arg, const char *text)
{
    report(replace(arg[0], (const uint8_t *)text, strlen(text)), "write %s", arg[0]);
}

static void cmd_append(char **arg, const char *text)
{
    struct fat_dirent f;
    uint32_t done = 0;
    enum fat_status st = open_file(arg[0], true, &f);
    if (st == FAT_OK)
        st = write_at(arg[0], &f, f.size, (const uint8_t *)text, (uint32_t)strlen(text), &done);
    report(st, "append %s", arg[0]);
}

static void cmd_pwrite(char **arg, const char *text)
{
    struct fat_dirent f;
    uint32_t done = 0;
    enum fat_status st = open_file(arg[0], false, &f);
    if (st == FAT_OK)
        st = write_at(arg[0], &f, strtoull(arg[1], NULL, 0), (const uint8_t *)text,
                      (uint32_t)strlen(text), &done);
    report(st, "pwrite %s %s", arg[0], arg[1]);
}

/* The whole host file at path, or NULL. */
static uint8_t *host_file(const char *path, uint64_t *len)
{
    FILE *h = fopen(path, "rb");
    if (!h)
        return NULL;
    fseek(h, 0, SEEK_END);
    long n = ftell(h);
    rewind(h);
    uint8_t *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, h) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(h);
    *len = (uint64_t)n;
    return buf;
}

static void cmd_put(char **arg, const char *text)
{
    (void)text;
    uint64_t len = 0;
    uint8_t *buf = host_file(arg[1], &len);
    if (!buf) {
        printf("HOST put %s %s: cannot read it\n", arg[0], arg[1]);
        return;
    }
    report(replace(arg[0], buf, len), "put %s %llu", arg[0], (unsigned long long)len);
    free(buf);
}

/* The whole of f in pieces of several sizes; its CRC32 as *crc. */
static enum fat_status read_all(struct fat_dirent *f, uint32_t *crc)
{
    static const uint32_t pieces[] = {1000, 1, 7001, 65536};
    static uint8_t buf[65536];
    uint32_t got = 1;
    uint64_t at = 0;
    enum fat_status st = FAT_OK;
    *crc = 0;
    for (unsigned k = 0; st == FAT_OK && got && at <= f->size; k++) {
        st = after("fat_read", fat_read(&vol, f, at, buf, pieces[k % 4], &got));
        *crc = blk_crc32(*crc, buf, st == FAT_OK ? got : 0);
        at += st == FAT_OK ? got : 0;
    }
    if (st == FAT_OK && at != f->size && !mutant)
        violation("read %llu bytes of a file of %u", (unsigned long long)at, f->size);
    return st;
}

static void cmd_get(char **arg, const char *text)
{
    (void)text;
    struct fat_dirent f;
    uint32_t crc = 0;
    enum fat_status st = open_file(arg[0], false, &f);
    if (st == FAT_OK)
        st = read_all(&f, &crc);
    if (st == FAT_OK)
        report(st, "get %s %u %08x", arg[0], f.size, crc);
    else
        report(st, "get %s", arg[0]);
}

static void cmd_mkdir(char **arg, const char *text)
{
    (void)text;
    struct fat_dirent d;
    report(after("fat_create", fat_create(&vol, arg[0], true, now, &d)), "mkdir %s", arg[0]);
}

static void cmd_rm(char **arg, const char *text)
{
    (void)text;
    report(after("fat_unlink", fat_unlink(&vol, arg[0])), "rm %s", arg[0]);
}

static void cmd_rmdir(char **arg, const char *text)
{
    (void)text;
    report(after("fat_rmdir", fat_rmdir(&vol, arg[0])), "rmdir %s", arg[0]);
}

/* fat.h: a rename flushes the new entry before removing the old one. */
static void cmd_mv(char **arg, const char *text)
{
    (void)text;
    unsigned long flushes = stats.flushes;
    enum fat_status st = after("fat_rename", fat_rename(&vol, arg[0], arg[1], now));
    if (st == FAT_OK && stats.flushes == flushes && !mutant)
        violation("a rename without a flush");
    report(st, "mv %s %s", arg[0], arg[1]);
}

static void cmd_truncate(char **arg, const char *text)
{
    (void)text;
    struct fat_dirent f;
    enum fat_status st = open_file(arg[0], false, &f);
    if (st == FAT_OK)
        st = truncate_to(&f, (uint32_t)strtoul(arg[1], NULL, 0));
    report(st, "truncate %s %s", arg[0], arg[1]);
}

/* The bytes fill writes: a fixed stream, different in every chunk. */
static void fill_pattern(uint8_t *buf, uint32_t n, uint32_t *state)
{
    for (uint32_t i = 0; i < n; i++) {
        *state ^= *state << 13, *state ^= *state >> 17, *state ^= *state << 5;
        buf[i] = (uint8_t)*state;
    }
}

/* Appends until the disk is full; more than the volume holds is a loop. */
static void cmd_fill(char **arg, const char *text)
{
    (void)text;
    static uint8_t buf[FILL_CHUNK];
    struct fat_dirent f;
    uint32_t state = 2463534242u, done = FILL_CHUNK, crc = 0;
    uint64_t total = 0;
    enum fat_status st = open_file(arg[0], true, &f);
    while (st == FAT_OK && done == FILL_CHUNK) {
        if (total > vol.total_sectors * FAT_SECTOR_SIZE) {
            violation("fill wrote %llu bytes, more than the volume holds",
                      (unsigned long long)total);
            break;
        }
        fill_pattern(buf, FILL_CHUNK, &state);
        st = write_at(arg[0], &f, f.size, buf, FILL_CHUNK, &done);
        crc = blk_crc32(crc, buf, done);
        total += done;
    }
    report(st, "fill %s %llu %08x", arg[0], (unsigned long long)total, crc);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names, sorted and joined by '|' (which FAT forbids in a name). */
static void print_names(char **names, unsigned n)
{
    qsort(names, n, sizeof(names[0]), compare_names);
    for (unsigned i = 0; i < n; i++) {
        printf("%s%s", i ? "|" : " ", names[i]);
        free(names[i]);
    }
}

/* How many entries dir holds (readdir's answer as *st); the first
 * MAX_LISTED of their names in names, a directory's ending in '/'. */
static unsigned list_dir(const struct fat_dirent *dir, char **names, unsigned *n,
                         enum fat_status *st)
{
    struct fat_dir pos = {dir->first_cluster, 0, 0, 0};
    struct fat_dirent e;
    unsigned total = 0;
    while (total <= 65536 && (*st = after("fat_readdir", fat_readdir(&vol, &pos, &e))) == FAT_OK) {
        size_t len = strlen(e.name);
        if (*n < MAX_LISTED && (names[*n] = malloc(len + 2)))
            snprintf(names[(*n)++], len + 2, "%s%s", e.name, e.dir ? "/" : "");
        total++;
    }
    *st = *st == FAT_END ? FAT_OK : *st;
    return total;
}

static void cmd_ls(char **arg, const char *text)
{
    (void)text;
    static char *names[MAX_LISTED];
    struct fat_dirent d;
    unsigned n = 0, total = 0;
    enum fat_status st = after("fat_lookup", fat_lookup(&vol, arg[0], &d));
    st = st == FAT_OK && !d.dir ? FAT_NOT_DIR : st;
    if (st == FAT_OK)
        total = list_dir(&d, names, &n, &st);
    printf("%s ls %s %u", status_name(st), arg[0], total);
    print_names(names, n);
    putchar('\n');
    fflush(stdout);
}

static void cmd_stat(char **arg, const char *text)
{
    (void)text;
    struct fat_dirent f;
    enum fat_status st = after("fat_lookup", fat_lookup(&vol, arg[0], &f));
    if (st != FAT_OK) {
        report(st, "stat %s", arg[0]);
        return;
    }
    report(st, "stat %s %s size=%u cluster=%u mtime=%llu ctime=%llu", arg[0],
           f.dir ? "dir" : "file", f.size, f.first_cluster,
           (unsigned long long)fat_unix_time(f.write_date, f.write_time),
           (unsigned long long)fat_unix_time(f.create_date, f.create_time));
}

static void cmd_df(char **arg, const char *text)
{
    (void)arg, (void)text;
    uint32_t free_clusters = 0;
    enum fat_status st = after("fat_free_clusters", fat_free_clusters(&vol, &free_clusters));
    report(st, "df free=%u clusters=%u cluster_bytes=%u", free_clusters, vol.clusters,
           vol.sectors_per_cluster * FAT_SECTOR_SIZE);
}

static void cmd_sync(char **arg, const char *text)
{
    (void)arg, (void)text;
    report(after("fat_sync", fat_sync(&vol)), "sync");
}

static void cmd_stats(char **arg, const char *text)
{
    (void)arg, (void)text;
    report(FAT_OK, "stats commits=%lu early=%lu flushes=%lu reads=%lu modifies=%lu fresh=%lu "
           "data_in=%lu data_out=%lu writes=%llu", stats.commits, stats.early, stats.flushes,
           stats.reads, stats.modifies, stats.fresh, stats.data_in, stats.data_out,
           (unsigned long long)writes);
}

/* ---- the script ---- */

struct command {
    const char *name;
    unsigned fields; /* after the name */
    bool text;       /* then the rest of the line */
    void (*run)(char **arg, const char *text);
};

static const struct command commands[] = {
    {"write", 1, true, cmd_write},   {"append", 1, true, cmd_append},
    {"pwrite", 2, true, cmd_pwrite}, {"put", 2, false, cmd_put},
    {"get", 1, false, cmd_get},      {"mkdir", 1, false, cmd_mkdir},
    {"rm", 1, false, cmd_rm},        {"rmdir", 1, false, cmd_rmdir},
    {"mv", 2, false, cmd_mv},        {"truncate", 2, false, cmd_truncate},
    {"fill", 1, false, cmd_fill},    {"ls", 1, false, cmd_ls},
    {"stat", 1, false, cmd_stat},    {"df", 0, false, cmd_df},
    {"sync", 0, false, cmd_sync},    {"stats", 0, false, cmd_stats},
};

/* The next field at *p: "quoted" (blanks allowed) or up to a blank;
 * *p then just past the one blank after it, where a TEXT starts. */
static char *field(char **p)
{
    char *s = *p + strspn(*p, " \t"), *end, *next;
    if (!*s)
        return NULL;
    if (*s == '"') {
        end = strchr(++s, '"');
        if (!end)
            return NULL;
        next = end + 1;
    } else {
        end = s + strcspn(s, " \t");
        next = end;
    }
    *p = *next == ' ' || *next == '\t' ? next + 1 : next;
    *end = 0;
    return s;
}

static void run_line(char *line)
{
    static char shown[200];
    line[strcspn(line, "\r\n")] = 0;
    snprintf(shown, sizeof(shown), "%s", line + strspn(line, " \t"));
    current = shown;
    char *p = line, *name = field(&p), *arg[2];
    if (!name || name[0] == '#')
        return;
    for (unsigned i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
        const struct command *c = &commands[i];
        if (strcmp(name, c->name))
            continue;
        for (unsigned k = 0; k < c->fields; k++)
            if (!(arg[k] = field(&p))) {
                printf("USAGE %s: %u fields wanted\n", name, c->fields);
                return;
            }
        c->run(arg, c->text ? p : "");
        return;
    }
    printf("USAGE unknown command %s\n", name);
}

static void run_script(int argc, char **argv)
{
    static char line[MAX_LINE];
    if (argc > 0) {
        for (int i = 0; i < argc; i++) {
            snprintf(line, sizeof(line), "%s", argv[i]);
            run_line(line);
        }
        return;
    }
    while (fgets(line, sizeof(line), stdin))
        run_line(line);
}

/* ---- the image ---- */

/* Random bytes in the boot sector, the FATs, the root and the first
 * clusters (their extent read from the clean image). */
static void mutate(unsigned seed)
{
    struct fat_volume v;
    uint64_t span = 64;
    if (fat_mount(&v, &cache_io, NULL, limit, false) == FAT_OK)
        span = v.data_start + 8 * v.sectors_per_cluster;
    span = span < limit ? span : limit;
    memset(lines, 0, sizeof(lines)); /* forget the clean image */
    hand = 0;
    srand(seed);
    for (int flips = 1 + rand() % 32; flips; flips--)
        disk[(uint64_t)rand() % (span * FAT_SECTOR_SIZE)] = (uint8_t)rand();
    if (seed & 1) /* and every other time a field of the boot sector's BPB */
        disk[11 + rand() % 53] = (uint8_t)rand();
}

static bool save(const char *path)
{
    FILE *f = fopen(path, "r+b"); /* in place: the image keeps its size */
    if (!f)
        return false;
    bool ok = fwrite(persist ? persist : disk, FAT_SECTOR_SIZE, sectors, f) == sectors;
    return fclose(f) == 0 && ok;
}

static bool options(int argc, char **argv, unsigned *seed)
{
    for (int c; (c = getopt(argc, argv, "+t:s:M:c:")) != -1;) {
        if (c == 't')
            now = strtoull(optarg, NULL, 0);
        else if (c == 's')
            limit = strtoull(optarg, NULL, 0);
        else if (c == 'M')
            mutant = true, *seed = (unsigned)strtoul(optarg, NULL, 0);
        else if (c == 'c')
            cut = strtoull(optarg, NULL, 0);
        else
            return false;
    }
    return optind < argc;
}

static void mount_and_run(int argc, char **argv)
{
    enum fat_status st = after("fat_mount", fat_mount(&vol, &cache_io, NULL, limit, true));
    mounted = st == FAT_OK;
    if (mounted)
        limit = vol.total_sectors; /* the library's own bound from here on */
    report(st, "mount type=%u clusters=%u", vol.type, vol.clusters);
    if (mounted)
        run_script(argc, argv);
    enter();
    write_back(); /* what a call stopped as FAT_CORRUPT left, as a cache would */
}

int main(int argc, char **argv)
{
    unsigned seed = 0;
    if (!options(argc, argv, &seed) || !(disk = disk_image_load(argv[optind], &sectors))) {
        fprintf(stderr, "usage: fatops [-t NOW] [-s SECTORS] [-M SEED] [-c WRITES] IMAGE [COMMAND...]\n");
        return 2;
    }
    limit = limit && limit <= sectors ? limit : sectors;
    if (mutant)
        mutate(seed);
    if (cut != UINT64_MAX && (persist = malloc(sectors * FAT_SECTOR_SIZE)))
        memcpy(persist, disk, sectors * FAT_SECTOR_SIZE);
    mount_and_run(argc - optind - 1, argv + optind + 1);
    bool saved = save(argv[optind]);
    fprintf(stderr, "fatops: %u violations, %llu sectors written\n", violations,
            (unsigned long long)writes);
    free(disk);
    free(persist);
    return !saved ? 2 : violations ? 3 : 0;
}

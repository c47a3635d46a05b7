/* FAT volumes, read side (fat.h): mount, chains, directories, lookup,
 * file reads. */
#include "fat_disk.h"

#define length fat_length
#define copy_bytes fat_copy
#define get16 fat_get16
#define get32 fat_get32
#define valid_cluster fat_valid_cluster

/* ---- the boot sector ---- */

static bool power_of_two(uint32_t x)
{
    return x && !(x & (x - 1));
}

/* Type by cluster count (the FAT specification's rule, not the label). */
static enum fat_status set_type(struct fat_volume *v, const uint8_t *s)
{
    v->type = v->clusters < 4085 ? 12 : v->clusters < 65525 ? 16 : 32;
    uint64_t fat_bytes = (uint64_t)(v->clusters + FIRST_CLUSTER) * v->type / 8 + 1;
    if (fat_bytes > (uint64_t)v->fat_sectors * FAT_SECTOR_SIZE)
        return FAT_CORRUPT; /* the FAT cannot hold an entry for every cluster */
    if (v->type != 32)
        return v->root_entries ? FAT_OK : FAT_CORRUPT;
    v->root_cluster = get32(s + 44);
    return !v->root_entries && !get16(s + 22) && valid_cluster(v, v->root_cluster) ? FAT_OK
                                                                                  : FAT_CORRUPT;
}

static void set_fsinfo(struct fat_volume *v, const uint8_t *s, uint32_t reserved)
{
    uint32_t fsinfo = v->type == 32 ? get16(s + 48) : 0;
    v->fsinfo = fsinfo && fsinfo < reserved ? fsinfo : 0;
}

enum fat_status fat_mount(struct fat_volume *v, const struct fat_io *io, void *ctx,
                          uint64_t volume_sectors, bool writable)
{
    *v = (struct fat_volume){.io = io, .ctx = ctx, .writable = writable,
                             .next_free = FIRST_CLUSTER, .free_clusters = FAT_UNKNOWN,
                             .fsinfo_free = FAT_UNKNOWN};
    const uint8_t *s = io->read(ctx, 0);
    if (!s)
        return FAT_AGAIN;
    uint32_t reserved = get16(s + 14);
    v->fats = s[16];
    v->sectors_per_cluster = s[13];
    v->root_entries = get16(s + 17);
    v->total_sectors = get16(s + 19) ? get16(s + 19) : get32(s + 32);
    v->fat_sectors = get16(s + 22) ? get16(s + 22) : get32(s + 36);
    if (get16(s + 11) != FAT_SECTOR_SIZE || !power_of_two(v->sectors_per_cluster) || !reserved ||
        !v->fats || v->fats > 4 || !v->fat_sectors || s[510] != 0x55 || s[511] != 0xaa ||
        v->total_sectors > volume_sectors)
        return FAT_CORRUPT;
    v->fat_start = reserved;
    v->root_start = reserved + (uint64_t)v->fats * v->fat_sectors;
    v->data_start = v->root_start + ((uint64_t)v->root_entries * DIR_ENTRY_SIZE + FAT_SECTOR_SIZE - 1) /
                                        FAT_SECTOR_SIZE;
    if (v->data_start >= v->total_sectors)
        return FAT_CORRUPT;
    uint64_t clusters = (v->total_sectors - v->data_start) / v->sectors_per_cluster;
    if (!clusters || clusters > 0x0ffffff5)
        return FAT_CORRUPT;
    v->clusters = (uint32_t)clusters;
    enum fat_status st = set_type(v, s);
    set_fsinfo(v, s, reserved);
    return st;
}

/* ---- cluster chains ---- */

enum fat_status fat_entry(const struct fat_volume *v, uint32_t c, uint32_t *value)
{
    uint64_t offset = v->type == 12 ? c + c / 2 : (uint64_t)c * (v->type / 8);
    const uint8_t *s = v->io->read(v->ctx, v->fat_start + offset / FAT_SECTOR_SIZE);
    if (!s)
        return FAT_AGAIN;
    unsigned at = offset % FAT_SECTOR_SIZE;
    if (v->type == 12) {
        /* 12 bits may straddle two sectors; the first byte is kept, since
         * asking for the second may take the first one's buffer */
        uint32_t low = s[at];
        const uint8_t *s2 = s + at + 1;
        if (at == FAT_SECTOR_SIZE - 1)
            s2 = v->io->read(v->ctx, v->fat_start + offset / FAT_SECTOR_SIZE + 1);
        if (!s2)
            return FAT_AGAIN;
        uint32_t pair = low | (uint32_t)s2[0] << 8;
        *value = c & 1 ? pair >> 4 : pair & 0xfff;
    } else {
        *value = v->type == 16 ? get16(s + at) : get32(s + at) & 0x0fffffff;
    }
    return FAT_OK;
}

enum fat_status fat_next(const struct fat_volume *v, uint32_t c, uint32_t *next)
{
    uint32_t value;
    enum fat_status st = fat_entry(v, c, &value);
    if (st != FAT_OK)
        return st;
    bool end = value >= fat_end_of_chain(v);
    *next = end ? 0 : value;
    return end || valid_cluster(v, value) ? FAT_OK : FAT_CORRUPT;
}

/* A walk longer than the volume has clusters is a loop. */
enum fat_status fat_walk(const struct fat_volume *v, uint32_t first, uint64_t n, uint32_t *c)
{
    if (!valid_cluster(v, first))
        return FAT_CORRUPT;
    if (n >= v->clusters)
        return FAT_CORRUPT;
    *c = first;
    for (uint64_t i = 0; i < n && *c; i++) {
        enum fat_status st = fat_next(v, *c, c);
        if (st != FAT_OK)
            return st;
    }
    return FAT_OK;
}

/* ---- directories ---- */

enum fat_status fat_dir_sector(const struct fat_volume *v, uint32_t first, uint32_t i,
                               uint64_t *lba)
{
    if (i >= MAX_DIR_ENTRIES)
        return FAT_CORRUPT;
    if (!first) {
        *lba = v->root_start + i / ENTRIES_PER_SECTOR;
        return i < v->root_entries ? FAT_OK : FAT_END;
    }
    uint32_t per_cluster = ENTRIES_PER_SECTOR * v->sectors_per_cluster, c;
    enum fat_status st = fat_walk(v, first, i / per_cluster, &c);
    if (st != FAT_OK)
        return st;
    *lba = c ? fat_cluster_sector(v, c) + i % per_cluster / ENTRIES_PER_SECTOR : 0;
    return c ? FAT_OK : FAT_END;
}

enum fat_status fat_dir_sector_at(const struct fat_volume *v, struct fat_dir *d, uint32_t i,
                                  uint64_t *lba)
{
    uint32_t per_cluster = ENTRIES_PER_SECTOR * v->sectors_per_cluster, index = i / per_cluster, c;
    bool memo = d->at_cluster && d->at_index <= index;
    if (!d->first_cluster || i >= MAX_DIR_ENTRIES)
        return fat_dir_sector(v, d->first_cluster, i, lba);
    enum fat_status st = fat_walk(v, memo ? d->at_cluster : d->first_cluster,
                                  index - (memo ? d->at_index : 0), &c);
    if (st != FAT_OK)
        return st;
    if (c)
        d->at_index = index, d->at_cluster = c;
    *lba = c ? fat_cluster_sector(v, c) + i % per_cluster / ENTRIES_PER_SECTOR : 0;
    return c ? FAT_OK : FAT_END;
}

/* Entry i of directory d, or *e = NULL past its end. */
static enum fat_status dir_entry(const struct fat_volume *v, struct fat_dir *d, uint32_t i,
                                 const uint8_t **e)
{
    uint64_t lba;
    *e = NULL;
    enum fat_status st = fat_dir_sector_at(v, d, i, &lba);
    if (st != FAT_OK)
        return st == FAT_END ? FAT_OK : st;
    const uint8_t *s = v->io->read(v->ctx, lba);
    if (!s)
        return FAT_AGAIN;
    *e = s + i % ENTRIES_PER_SECTOR * DIR_ENTRY_SIZE;
    return FAT_OK;
}

/* A long name being gathered, last part first as on disk. */
struct lfn {
    uint16_t units[LFN_MAX_ENTRIES * LFN_UNITS];
    unsigned entries, expected; /* expected: the ordinal the next entry must have */
    uint8_t checksum;
};

static void lfn_add(struct lfn *l, const uint8_t *e)
{
    static const uint8_t at[LFN_UNITS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    unsigned ord = e[0] & 0x1f;
    if (e[0] & 0x40) { /* the last part, which comes first */
        l->entries = ord >= 1 && ord <= LFN_MAX_ENTRIES ? ord : 0;
        l->expected = ord;
        l->checksum = e[13];
    }
    if (!l->entries || ord != l->expected || e[13] != l->checksum || e[26] || e[27]) {
        l->entries = 0; /* out of order: no long name for the entry that follows */
        return;
    }
    for (unsigned k = 0; k < LFN_UNITS; k++)
        l->units[(ord - 1) * LFN_UNITS + k] = (uint16_t)get16(e + at[k]);
    l->expected--;
}

/* Code point u as UTF-8 at out; how many bytes. */
static unsigned put_utf8(char *out, uint32_t u)
{
    if (u < 0x80) {
        out[0] = (char)u;
        return 1;
    }
    unsigned n = u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
    for (unsigned k = n - 1; k > 0; k--, u >>= 6)
        out[k] = (char)(0x80 | (u & 0x3f));
    out[0] = (char)((0xf00 >> n) | u); /* 0xc0, 0xe0 or 0xf0 and the top bits */
    return n;
}

/* UTF-16 to UTF-8: false if the name is not valid (longer than FAT allows,
 * a lone surrogate, a control character, a '/' or nothing at all). At
 * most FAT_NAME_MAX units, each at most 3 bytes (a pair: 4 for 2), so the
 * result fits FAT_NAME_BYTES. */
static bool lfn_name(const struct lfn *l, char *out)
{
    unsigned n = 0, units = l->entries * LFN_UNITS, o = 0;
    while (n < units && l->units[n])
        n++;
    if (!n || n > FAT_NAME_MAX)
        return false;
    for (unsigned i = 0; i < n; i++) {
        uint32_t u = l->units[i];
        if (u >= 0xd800 && u < 0xdc00 && i + 1 < n && l->units[i + 1] >= 0xdc00 &&
            l->units[i + 1] < 0xe000)
            u = 0x10000 + ((u - 0xd800) << 10) + (l->units[++i] - 0xdc00u);
        else if ((u >= 0xd800 && u < 0xe000) || u < 0x20 || u == '/' || u == 0x7f)
            return false;
        o += put_utf8(out + o, u);
    }
    out[o] = 0;
    return true;
}

/* "NAME    EXT" as "NAME.EXT", in lower case where the entry's case bits
 * say so (byte 12: 0x08 the name, 0x10 the extension, as Windows and
 * Linux write them); false if a byte cannot be in a short name. */
static bool short_name(const uint8_t *e, char *out)
{
    unsigned o = 0;
    for (unsigned i = 0; i < 11; i++) {
        uint8_t b = i == 0 && e[0] == 0x05 ? 0xe5 : e[i];
        if (b < 0x20 || b == '/' || b == '\\' || b == 0x7f)
            return false;
        if (b >= 'A' && b <= 'Z' && (e[12] & (i < 8 ? 0x08 : 0x10)))
            b = (uint8_t)(b + 32);
        if (i == 8 && e[8] != ' ')
            out[o++] = '.';
        if (b != ' ')
            out[o++] = (char)b;
    }
    out[o] = 0;
    return o > 0;
}

/* The short entry e (entry 'index' of directory 'parent') as *out, its
 * long name from l if l's checksum fits. */
static enum fat_status make_dirent(const struct fat_volume *v, const uint8_t *e,
                                   const struct lfn *l, struct fat_dir *d, uint32_t index,
                                   struct fat_dirent *out)
{
    bool long_ok = l->entries && !l->expected && l->checksum == fat_short_checksum(e) &&
                   lfn_name(l, out->name);
    if (!long_ok && !short_name(e, out->name))
        return FAT_CORRUPT;
    out->dir = e[11] & ATTR_DIR;
    out->lfn_entries = long_ok ? (uint8_t)l->entries : 0;
    out->parent = d->first_cluster;
    out->index = index;
    out->first_cluster = get16(e + 26) | (v->type == 32 ? get16(e + 20) << 16 : 0);
    out->size = out->dir ? 0 : get32(e + 28);
    out->create_time = (uint16_t)get16(e + 14), out->create_date = (uint16_t)get16(e + 16);
    out->write_time = (uint16_t)get16(e + 22), out->write_date = (uint16_t)get16(e + 24);
    out->at_index = out->at_cluster = 0;
    out->marks = NULL;
    if (out->first_cluster ? !valid_cluster(v, out->first_cluster) : out->dir || out->size)
        return FAT_CORRUPT;
    return FAT_OK;
}

static bool dot_entry(const uint8_t *e)
{
    return e[0] == '.' && (e[1] == ' ' || (e[1] == '.' && e[2] == ' '));
}

/* A directory's chain must end within FAT's entry limit: one that loops
 * (and would repeat its entries up to the limit) is corrupt. */
static enum fat_status check_dir_chain(const struct fat_volume *v, uint32_t first)
{
    uint32_t most = MAX_DIR_ENTRIES / (ENTRIES_PER_SECTOR * v->sectors_per_cluster), c = first;
    for (uint32_t n = 0; c; n++) {
        enum fat_status st = n < most ? fat_next(v, c, &c) : FAT_CORRUPT;
        if (st != FAT_OK)
            return st;
    }
    return FAT_OK;
}

enum fat_status fat_readdir(const struct fat_volume *v, struct fat_dir *d, struct fat_dirent *out)
{
    struct lfn l;
    if (!d->next && d->first_cluster) { /* a listing starts: its chain checked once */
        enum fat_status st = valid_cluster(v, d->first_cluster) ? check_dir_chain(v, d->first_cluster)
                                                                  : FAT_CORRUPT;
        if (st != FAT_OK)
            return st;
    }
    l.entries = l.expected = 0, l.checksum = 0; /* its units are written before read */
    for (uint32_t i = d->next;; i++) {
        const uint8_t *e;
        enum fat_status st = dir_entry(v, d, i, &e);
        if (st != FAT_OK)
            return st;
        if (!e || e[0] == ENTRY_END)
            return FAT_END;
        if (e[0] == ENTRY_FREE) {
            l.entries = 0;
        } else if ((e[11] & 0x3f) == ATTR_LFN) {
            lfn_add(&l, e);
        } else if ((e[11] & ATTR_VOLUME) || dot_entry(e)) {
            l.entries = 0;
        } else {
            st = make_dirent(v, e, &l, d, i, out);
            if (st == FAT_OK)
                d->next = i + 1;
            return st;
        }
    }
}

/* ---- paths and files ---- */

bool fat_same_name(const char *a, const char *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        char x = a[i] >= 'a' && a[i] <= 'z' ? (char)(a[i] - 32) : a[i];
        char y = b[i] >= 'a' && b[i] <= 'z' ? (char)(b[i] - 32) : b[i];
        if (x != y || !b[i])
            return false;
    }
    return !b[n];
}

enum fat_status fat_find_in(const struct fat_volume *v, uint32_t first_cluster, const char *name,
                            unsigned n, struct fat_dirent *out)
{
    struct fat_dir d = {first_cluster, 0, 0, 0};
    for (;;) {
        enum fat_status st = fat_readdir(v, &d, out);
        if (st == FAT_END)
            return FAT_NOT_FOUND;
        if (st != FAT_OK || fat_same_name(name, out->name, n))
            return st;
    }
}

void fat_root(const struct fat_volume *v, struct fat_dirent *out)
{
    out->name[0] = '/', out->name[1] = 0;
    out->dir = true;
    out->lfn_entries = 0;
    out->parent = 0;
    out->index = UINT32_MAX;
    out->first_cluster = v->root_cluster;
    out->size = out->at_index = out->at_cluster = 0;
    out->write_date = out->write_time = out->create_date = out->create_time = 0;
    out->marks = NULL;
}

enum fat_status fat_lookup(const struct fat_volume *v, const char *path, struct fat_dirent *out)
{
    if (path[0] != '/' || length(path) >= FAT_PATH_MAX)
        return FAT_BAD_PATH;
    fat_root(v, out);
    for (const char *p = path + 1; *p;) {
        unsigned n = 0;
        while (p[n] && p[n] != '/')
            n++;
        if (!n || n >= FAT_NAME_BYTES)
            return FAT_BAD_PATH;
        if (!out->dir)
            return FAT_NOT_DIR;
        enum fat_status st = fat_find_in(v, out->first_cluster, p, n, out);
        if (st != FAT_OK)
            return st;
        p += n + (p[n] == '/');
    }
    return FAT_OK;
}

/* Cluster 'index' of the chain has been reached at c: a mark if it is the
 * next one due (the stride doubles when the marks are full). */
static void mark(struct fat_marks *m, uint64_t index, uint32_t c)
{
    if (m->count == FAT_MARKS) {
        for (unsigned k = 0; k < FAT_MARKS / 2; k++)
            m->cluster[k] = m->cluster[2 * k];
        m->count = FAT_MARKS / 2;
        m->stride_log2++;
    }
    if (index == (uint64_t)m->count << m->stride_log2)
        m->cluster[m->count++] = c;
}

/* Where a walk to cluster 'index' may start: the first cluster, the memo
 * or a mark, whichever is nearest at or before it. */
static void walk_start(const struct fat_dirent *f, uint64_t index, uint64_t *from, uint32_t *c)
{
    *from = 0, *c = f->first_cluster;
    if (f->at_cluster && f->at_index <= index)
        *from = f->at_index, *c = f->at_cluster;
    const struct fat_marks *m = f->marks;
    uint64_t k = m && m->stride_log2 < 32 ? index >> m->stride_log2 : 0;
    if (m && k && m->count) {
        k = k < m->count ? k : m->count - 1;
        if (k << m->stride_log2 > *from)
            *from = k << m->stride_log2, *c = m->cluster[k];
    }
}

enum fat_status fat_seek(const struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                         uint32_t *c)
{
    uint64_t index = offset / fat_cluster_bytes(v), at;
    *c = 0;
    if (!f->first_cluster)
        return FAT_OK;
    if (index >= v->clusters)
        return FAT_CORRUPT; /* longer than the volume: a loop */
    walk_start(f, index, &at, c);
    if (!valid_cluster(v, *c))
        return FAT_CORRUPT;
    for (; *c; at++) {
        if (f->marks)
            mark(f->marks, at, *c);
        if (at == index)
            break;
        enum fat_status st = fat_next(v, *c, c);
        if (st != FAT_OK)
            return st;
    }
    if (*c)
        f->at_index = (uint32_t)index, f->at_cluster = *c;
    return FAT_OK;
}

/* (fat_disk.h) */
enum fat_status fat_contiguous(const struct fat_volume *v, uint32_t c, uint32_t max, uint32_t *n,
                               uint32_t *after)
{
    for (*n = 1;; ++*n) {
        enum fat_status st = fat_next(v, c + *n - 1, after);
        if (st != FAT_OK || *after != c + *n || *n >= max)
            return st;
    }
}

/* n bytes of the disk from byte 'at' into buf: whole sectors straight in,
 * a partial one at either end through a sector of our own. */
static enum fat_status read_span(const struct fat_volume *v, uint64_t at, uint8_t *buf, uint32_t n)
{
    uint8_t sector[FAT_SECTOR_SIZE];
    while (n) {
        uint64_t lba = at / FAT_SECTOR_SIZE;
        uint32_t skip = at % FAT_SECTOR_SIZE, part;
        if (skip || n < FAT_SECTOR_SIZE) {
            if (!v->io->read_data(v->ctx, lba, 1, sector))
                return FAT_AGAIN;
            part = FAT_SECTOR_SIZE - skip < n ? FAT_SECTOR_SIZE - skip : n;
            copy_bytes(buf, sector + skip, part);
        } else {
            uint32_t count = n / FAT_SECTOR_SIZE;
            count = count < FAT_IO_MAX_SECTORS ? count : FAT_IO_MAX_SECTORS;
            if (!v->io->read_data(v->ctx, lba, count, buf))
                return FAT_AGAIN;
            part = count * FAT_SECTOR_SIZE;
        }
        at += part, buf += part, n -= part;
    }
    return FAT_OK;
}

/* (fat_disk.h) */
uint32_t fat_run_limit(const struct fat_volume *v)
{
    uint32_t max = FAT_IO_MAX_SECTORS / v->sectors_per_cluster;
    return max ? max : 1;
}

enum fat_status fat_read(const struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                         uint8_t *buf, uint32_t len, uint32_t *got)
{
    *got = 0;
    if (f->dir)
        return FAT_IS_DIR;
    if (offset >= f->size)
        return FAT_OK;
    if (len > f->size - offset)
        len = (uint32_t)(f->size - offset);
    uint32_t cb = fat_cluster_bytes(v), c, n, after;
    enum fat_status st = fat_seek(v, f, offset, &c);
    uint64_t index = offset / cb;
    while (st == FAT_OK && *got < len) {
        if (!c)
            return FAT_CORRUPT; /* the chain ends before the file does */
        uint32_t skip = (offset + *got) % cb, left = len - *got;
        uint32_t need = (uint32_t)(((uint64_t)skip + left + cb - 1) / cb);
        st = fat_contiguous(v, c, need < fat_run_limit(v) ? need : fat_run_limit(v), &n, &after);
        if (st != FAT_OK)
            return st;
        uint32_t part = (uint32_t)((uint64_t)n * cb - skip < left ? (uint64_t)n * cb - skip : left);
        st = read_span(v, fat_cluster_sector(v, c) * FAT_SECTOR_SIZE + skip, buf + *got, part);
        if (st != FAT_OK)
            return st;
        *got += part;
        index += n;
        if (index - 1 < UINT32_MAX)
            f->at_index = (uint32_t)(index - 1), f->at_cluster = c + n - 1;
        c = after;
    }
    return st;
}

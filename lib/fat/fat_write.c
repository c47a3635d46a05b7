/*
 * FAT volumes, the changes (fat.h): cluster allocation, directory entries
 * with long names, file writes and truncation, removal and renames, each
 * in the write order fat.h describes. Every change ends in a commit but
 * fat_write, whose metadata waits in the cache for the next one.
 */
#include "fat_disk.h"

#define MAX_LFN_BYTES (FAT_NAME_MAX + 1)
#define SHORT_TRIES 4     /* NAME~1..NAME~4, then hashed bases as Windows does */
#define HASHED_TRIES 64
#define MAX_DEPTH 4096    /* of a directory tree walked upwards */

static const uint8_t zero_sector[FAT_SECTOR_SIZE];

static enum fat_status check_writable(struct fat_volume *v);

/* ---- the FAT ---- */

static uint32_t chain_end_value(const struct fat_volume *v)
{
    return v->type == 12 ? 0xfff : v->type == 16 ? 0xffff : 0x0fffffff;
}

/* A 12-bit entry straddles bytes; each half is changed through its own
 * pointer, since asking for the second sector may take the first's. */
static enum fat_status set12(struct fat_volume *v, uint64_t lba, unsigned at, uint32_t c,
                             uint32_t value)
{
    uint8_t *s = v->io->modify(v->ctx, lba);
    if (!s)
        return FAT_AGAIN;
    s[at] = c & 1 ? (uint8_t)((s[at] & 0x0f) | (value & 0xf) << 4) : (uint8_t)value;
    uint8_t *s2 = at == FAT_SECTOR_SIZE - 1 ? v->io->modify(v->ctx, lba + 1) : s + at + 1;
    if (!s2)
        return FAT_AGAIN;
    s2[0] = c & 1 ? (uint8_t)(value >> 4) : (uint8_t)((s2[0] & 0xf0) | (value >> 8 & 0xf));
    return FAT_OK;
}

/* Cluster c's entry in every copy of the FAT. */
static enum fat_status set_entry(struct fat_volume *v, uint32_t c, uint32_t value)
{
    uint64_t offset = v->type == 12 ? c + c / 2 : (uint64_t)c * (v->type / 8);
    for (uint32_t copy = 0; copy < v->fats; copy++) {
        uint64_t lba = v->fat_start + (uint64_t)copy * v->fat_sectors + offset / FAT_SECTOR_SIZE;
        unsigned at = offset % FAT_SECTOR_SIZE;
        if (v->type == 12) {
            enum fat_status st = set12(v, lba, at, c, value);
            if (st != FAT_OK)
                return st;
            continue;
        }
        uint8_t *s = v->io->modify(v->ctx, lba);
        if (!s)
            return FAT_AGAIN;
        if (v->type == 16)
            fat_put16(s + at, value);
        else /* FAT32's top four bits are reserved: kept */
            fat_put32(s + at, (fat_get32(s + at) & 0xf0000000) | (value & 0x0fffffff));
    }
    return FAT_OK;
}

/* The first free cluster from the search's starting point on. */
static enum fat_status find_free(const struct fat_volume *v, uint32_t *out)
{
    for (uint32_t n = 0; n < v->clusters; n++) {
        uint32_t c = FIRST_CLUSTER + (v->next_free - FIRST_CLUSTER + n) % v->clusters, value;
        enum fat_status st = fat_entry(v, c, &value);
        if (st != FAT_OK || !value) {
            *out = c;
            return st;
        }
    }
    return FAT_NO_SPACE;
}

/* Clusters first..first+n-1 chained, the last one the chain's end: in
 * each FAT copy a sector is asked for once however many entries it holds
 * (FAT12's straddling entries go one by one). */
static enum fat_status set_run(struct fat_volume *v, uint32_t first, uint32_t n)
{
    for (uint32_t k = 0; v->type == 12 && k < n; k++) {
        enum fat_status st = set_entry(v, first + k, k + 1 < n ? first + k + 1 : chain_end_value(v));
        if (st != FAT_OK)
            return st;
    }
    for (uint32_t copy = 0; v->type != 12 && copy < v->fats; copy++) {
        uint8_t *s = NULL;
        uint64_t held = 0;
        for (uint32_t k = 0; k < n; k++) {
            uint64_t offset = (uint64_t)(first + k) * (v->type / 8);
            uint64_t lba = v->fat_start + (uint64_t)copy * v->fat_sectors + offset / FAT_SECTOR_SIZE;
            uint32_t value = k + 1 < n ? first + k + 1 : chain_end_value(v);
            if (!s || lba != held)
                s = v->io->modify(v->ctx, held = lba); /* the last pointer is let go here */
            if (!s)
                return FAT_AGAIN;
            uint8_t *e = s + offset % FAT_SECTOR_SIZE;
            if (v->type == 16)
                fat_put16(e, value);
            else /* FAT32's top four bits are reserved: kept */
                fat_put32(e, (fat_get32(e) & 0xf0000000) | value);
        }
    }
    return FAT_OK;
}

/* Up to 'want' (at least 1) free clusters in a row, now a chain of their
 * own: *first and *n. */
static enum fat_status allocate_run(struct fat_volume *v, uint32_t want, uint32_t *first,
                                    uint32_t *n)
{
    uint32_t value = 0;
    enum fat_status st = find_free(v, first);
    for (*n = 1; st == FAT_OK && *n < want && fat_valid_cluster(v, *first + *n); ++*n)
        if ((st = fat_entry(v, *first + *n, &value)) != FAT_OK || value)
            break;
    if (st == FAT_OK)
        st = set_run(v, *first, *n);
    if (st == FAT_OK) {
        uint32_t after = *first + *n;
        v->next_free = after - FIRST_CLUSTER < v->clusters ? after : FIRST_CLUSTER;
        v->free_clusters -= v->free_clusters != FAT_UNKNOWN ? *n : 0;
    }
    return st;
}

/* A free cluster, now the end of a chain of its own. */
static enum fat_status allocate(struct fat_volume *v, uint32_t *out)
{
    uint32_t n;
    return allocate_run(v, 1, out, &n);
}

/* Every cluster of the chain from first marked free (a corrupt link ends
 * the walk: what follows it is left alone). */
static enum fat_status free_chain(struct fat_volume *v, uint32_t first)
{
    uint32_t c = first;
    for (uint32_t n = 0; fat_valid_cluster(v, c) && n < v->clusters; n++) {
        uint32_t next;
        enum fat_status st = fat_next(v, c, &next);
        if (st == FAT_OK)
            st = set_entry(v, c, 0);
        if (st != FAT_OK)
            return st == FAT_CORRUPT ? FAT_OK : st;
        v->free_clusters += v->free_clusters != FAT_UNKNOWN;
        if (c < v->next_free)
            v->next_free = c;
        c = next;
    }
    return FAT_OK;
}

/* FAT32's FSInfo sector keeps the free-cluster count and where to look
 * for a free one: brought up to date whenever the count changed. */
static enum fat_status update_fsinfo(struct fat_volume *v)
{
    if (!v->fsinfo || v->free_clusters == v->fsinfo_free)
        return FAT_OK;
    uint8_t *s = v->io->modify(v->ctx, v->fsinfo);
    if (!s)
        return FAT_AGAIN;
    fat_put32(s + 488, v->free_clusters);
    fat_put32(s + 492, v->next_free);
    v->fsinfo_free = v->free_clusters;
    return FAT_OK;
}

static enum fat_status commit(struct fat_volume *v, bool flush)
{
    enum fat_status st = update_fsinfo(v);
    return st != FAT_OK ? st : v->io->commit(v->ctx, flush) ? FAT_OK : FAT_AGAIN;
}

/* ---- times ---- */

uint64_t fat_unix_time(uint16_t date, uint16_t time)
{
    static const uint16_t before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    uint32_t year = 1980 + (date >> 9), month = (date >> 5 & 15), day = date & 31;
    if (month < 1 || month > 12 || !day)
        return 0; /* no date recorded */
    uint64_t days = (year - 1970) * 365 + (year - 1969) / 4 + before[month - 1] + day - 1;
    days += month > 2 && year % 4 == 0; /* every fourth year in 1980..2107, 2100 aside */
    days -= year > 2100 || (year == 2100 && month > 2);
    return days * 86400 + (time >> 11) * 3600 + (time >> 5 & 63) * 60 + (time & 31) * 2;
}

static bool leap(uint32_t year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

/* FAT's range is 1980 to 2107; a time outside is held at its edge. */
void fat_time_of(uint64_t unix_seconds, uint16_t *date, uint16_t *time)
{
    static const uint8_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint64_t days = unix_seconds / 86400, secs = unix_seconds % 86400;
    uint32_t year = 1970, month = 0;
    for (; year < 2108 && days >= 365u + leap(year); year++)
        days -= 365u + leap(year);
    if (year < 1980 || year > 2107) {
        *date = year < 1980 ? (1 << 5 | 1) : (127 << 9 | 12 << 5 | 31);
        *time = year < 1980 ? 0 : (23 << 11 | 59 << 5 | 29);
        return;
    }
    for (; days >= month_days[month] + (unsigned)(month == 1 && leap(year)); month++)
        days -= month_days[month] + (unsigned)(month == 1 && leap(year));
    *date = (uint16_t)((year - 1980) << 9 | (month + 1) << 5 | (days + 1));
    *time = (uint16_t)((secs / 3600) << 11 | (secs / 60 % 60) << 5 | (secs % 60) / 2);
}

/* ---- names ---- */

/* One code point of UTF-8 from s (n bytes left), or -1 if malformed. */
static int32_t utf8_next(const uint8_t *s, unsigned n, unsigned *used)
{
    unsigned len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
                 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
    static const uint32_t least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (!len || len > n)
        return -1;
    uint32_t u = len == 1 ? s[0] : s[0] & (0x7f >> len);
    for (unsigned k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return -1;
        u = u << 6 | (s[k] & 0x3f);
    }
    *used = len;
    bool bad = u < least[len] || u > 0x10ffff || (u >= 0xd800 && u < 0xe000);
    return bad ? -1 : (int32_t)u;
}

static bool forbidden(uint32_t u)
{
    static const char bad[] = "\"*/:<>?\\|";
    for (const char *b = bad; *b; b++)
        if (u == (uint8_t)*b)
            return true;
    return u < 0x20 || u == 0x7f;
}

/* name (n bytes of UTF-8) as at most FAT_NAME_MAX UTF-16 units; false if
 * FAT cannot hold it (a forbidden character, "." or "..", a trailing dot
 * or space, which Windows would strip). */
static bool utf16_name(const char *name, unsigned n, uint16_t *units, unsigned *count)
{
    const uint8_t *s = (const uint8_t *)name;
    *count = 0;
    if (!n || name[n - 1] == '.' || name[n - 1] == ' ')
        return false;
    for (unsigned i = 0, used; i < n; i += used) {
        int32_t u = utf8_next(s + i, n - i, &used);
        if (u < 0 || forbidden((uint32_t)u) || *count + (u >= 0x10000) >= FAT_NAME_MAX)
            return false;
        if (u >= 0x10000) {
            units[(*count)++] = (uint16_t)(0xd800 + ((u - 0x10000) >> 10));
            u = 0xdc00 + ((u - 0x10000) & 0x3ff);
        }
        units[(*count)++] = (uint16_t)u;
    }
    return true;
}

static bool short_char(uint32_t u)
{
    static const char extra[] = "$%'-_@~`!(){}^#&";
    for (const char *e = extra; *e; e++)
        if (u == (uint8_t)*e)
            return true;
    return (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
}

static uint32_t upper(uint32_t u)
{
    return u >= 'a' && u <= 'z' ? u - 32 : u;
}

/* One part (base or extension) of a plain 8.3 name into out, space
 * padded; its letters all one case (*lower says which). */
static bool plain_part(const uint16_t *u, unsigned n, unsigned max, uint8_t *out, bool *lower)
{
    bool has_upper = false, has_lower = false;
    if (n > max)
        return false;
    fat_fill(out, ' ', max);
    for (unsigned i = 0; i < n; i++) {
        has_lower |= u[i] >= 'a' && u[i] <= 'z';
        has_upper |= u[i] >= 'A' && u[i] <= 'Z';
        if (!short_char(upper(u[i])))
            return false;
        out[i] = (uint8_t)upper(u[i]);
    }
    *lower = has_lower;
    return !(has_lower && has_upper);
}

/* If the name is a plain 8.3 name, its short entry name and case bits
 * (as Windows and Linux write lower-case names without a long name). */
static bool plain_short(const uint16_t *u, unsigned n, uint8_t name11[11], uint8_t *case_bits)
{
    unsigned dot = n;
    for (unsigned i = 0; i < n; i++)
        if (u[i] == '.') {
            if (dot != n)
                return false;
            dot = i;
        }
    bool lower_base, lower_ext = false;
    if (!dot || !plain_part(u, dot, 8, name11, &lower_base) ||
        !plain_part(u + dot + (dot < n), n - dot - (dot < n), 3, name11 + 8, &lower_ext))
        return false;
    *case_bits = (uint8_t)((lower_base ? 0x08 : 0) | (lower_ext ? 0x10 : 0));
    return true;
}

/* The short name a long name is known by: its characters upper-cased,
 * those a short name cannot hold as '_', spaces and dots dropped, the
 * extension from after the last dot. */
static void short_basis(const uint16_t *u, unsigned n, uint8_t name11[11], unsigned *base_len)
{
    unsigned dot = n, b = 0, e = 8;
    for (unsigned i = 1; i < n; i++)
        if (u[i] == '.')
            dot = i;
    fat_fill(name11, ' ', 11);
    for (unsigned i = 0; i < dot && b < 8; i++)
        if (u[i] != ' ' && u[i] != '.')
            name11[b++] = short_char(upper(u[i])) ? (uint8_t)upper(u[i]) : '_';
    for (unsigned i = dot + 1; i < n && e < 11; i++)
        if (u[i] != ' ' && u[i] != '.')
            name11[e++] = short_char(upper(u[i])) ? (uint8_t)upper(u[i]) : '_';
    if (!b)
        name11[b++] = '_';
    *base_len = b;
}

/* Candidate 'try' for a long name's short name: BASE~N, then two
 * characters, four hex digits of a hash of the whole name and ~1. */
static void short_candidate(const uint8_t basis[11], unsigned base_len, uint32_t hash,
                            unsigned try, uint8_t out[11])
{
    fat_copy(out, basis, 11);
    char tail[8];
    unsigned t = 0, keep;
    if (try < SHORT_TRIES) {
        tail[t++] = '~', tail[t++] = (char)('1' + try);
        keep = base_len < 6 ? base_len : 6;
    } else {
        uint32_t h = hash + (try - SHORT_TRIES) * 0x9e37u;
        for (int k = 12; k >= 0; k -= 4)
            tail[t++] = "0123456789ABCDEF"[h >> k & 15];
        tail[t++] = '~', tail[t++] = '1';
        keep = base_len < 2 ? base_len : 2;
    }
    fat_fill(out + keep, ' ', 8 - keep);
    fat_copy(out + keep, (const uint8_t *)tail, t);
}

/* ---- directory entries ---- */

/* What a short entry records besides its name. */
struct entry_fields {
    uint8_t attr, case_bits;
    uint32_t first_cluster, size;
    uint16_t create_date, create_time, write_date, write_time;
};

static enum fat_status entry_for_change(struct fat_volume *v, uint32_t dir, uint32_t i,
                                        uint8_t **e)
{
    uint64_t lba;
    enum fat_status st = fat_dir_sector(v, dir, i, &lba);
    if (st != FAT_OK)
        return st == FAT_END ? FAT_CORRUPT : st;
    uint8_t *s = v->io->modify(v->ctx, lba);
    if (!s)
        return FAT_AGAIN;
    *e = s + i % ENTRIES_PER_SECTOR * DIR_ENTRY_SIZE;
    return FAT_OK;
}

static const uint8_t *entry_to_read(const struct fat_volume *v, uint64_t lba, uint32_t i)
{
    const uint8_t *s = v->io->read(v->ctx, lba);
    return s ? s + i % ENTRIES_PER_SECTOR * DIR_ENTRY_SIZE : NULL;
}

/* Is name11 the short name of some entry in dir (other than entry skip)? */
static enum fat_status short_taken(const struct fat_volume *v, uint32_t dir, uint32_t skip,
                                   const uint8_t name11[11], bool *taken)
{
    struct fat_dir d = {dir, 0, 0, 0};
    *taken = false;
    for (uint32_t i = 0;; i++) {
        uint64_t lba;
        enum fat_status st = fat_dir_sector_at(v, &d, i, &lba);
        if (st != FAT_OK)
            return st == FAT_END ? FAT_OK : st;
        const uint8_t *e = entry_to_read(v, lba, i);
        if (!e)
            return FAT_AGAIN;
        if (e[0] == ENTRY_END)
            return FAT_OK;
        bool same = e[0] != ENTRY_FREE && (e[11] & 0x3f) != ATTR_LFN && i != skip;
        for (unsigned k = 0; same && k < 11; k++)
            same = e[k] == name11[k];
        if (same) {
            *taken = true;
            return FAT_OK;
        }
    }
}

/* A short name for units no other entry of dir has. */
static enum fat_status unique_short(const struct fat_volume *v, uint32_t dir, uint32_t skip,
                                    const uint16_t *u, unsigned n, uint8_t name11[11])
{
    uint8_t basis[11];
    unsigned base_len;
    uint32_t hash = 0;
    short_basis(u, n, basis, &base_len);
    for (unsigned i = 0; i < n; i++)
        hash = hash * 31 + u[i];
    for (unsigned try = 0; try < SHORT_TRIES + HASHED_TRIES; try++) {
        bool taken;
        short_candidate(basis, base_len, hash, try, name11);
        enum fat_status st = short_taken(v, dir, skip, name11, &taken);
        if (st != FAT_OK || !taken)
            return st;
    }
    return FAT_NO_SPACE;
}

/* A new zeroed cluster for a directory, on the disk before anything links
 * to it. */
static enum fat_status new_dir_cluster(struct fat_volume *v, uint32_t *c)
{
    enum fat_status st = allocate(v, c);
    for (uint32_t k = 0; st == FAT_OK && k < v->sectors_per_cluster; k++)
        st = v->io->fresh(v->ctx, fat_cluster_sector(v, *c) + k) ? FAT_OK : FAT_AGAIN;
    return st == FAT_OK ? commit(v, false) : st;
}

/* dir, which ends before entry 'end', one cluster longer. */
static enum fat_status grow_dir(struct fat_volume *v, uint32_t dir, uint32_t end)
{
    uint32_t per_cluster = ENTRIES_PER_SECTOR * v->sectors_per_cluster, last, c;
    if (!dir || end + per_cluster > MAX_DIR_ENTRIES)
        return FAT_NO_SPACE; /* FAT12/16's root is fixed; FAT caps a directory */
    enum fat_status st = fat_walk(v, dir, end / per_cluster - 1, &last);
    if (st == FAT_OK && !last)
        st = FAT_CORRUPT;
    if (st == FAT_OK)
        st = new_dir_cluster(v, &c);
    return st == FAT_OK ? set_entry(v, last, c) : st;
}

/* k free entries in a row in dir (grown if need be): *first is the first.
 * *ended: the run took the directory's end marker. */
static enum fat_status find_slots(struct fat_volume *v, uint32_t dir, unsigned k, uint32_t *first,
                                  bool *ended)
{
    struct fat_dir d = {dir, 0, 0, 0};
    uint32_t run = 0;
    bool end_seen = false;
    for (uint32_t i = 0;; i++) {
        uint64_t lba;
        enum fat_status st = fat_dir_sector_at(v, &d, i, &lba);
        if (st == FAT_END)
            st = grow_dir(v, dir, i);
        if (st == FAT_OK)
            st = fat_dir_sector_at(v, &d, i, &lba);
        if (st != FAT_OK)
            return st;
        const uint8_t *e = entry_to_read(v, lba, i);
        if (!e)
            return FAT_AGAIN;
        end_seen |= e[0] == ENTRY_END; /* everything after the end marker is free */
        run = end_seen || e[0] == ENTRY_FREE ? run + 1 : 0;
        if (run == k) {
            *first = i + 1 - k, *ended = end_seen;
            return FAT_OK;
        }
    }
}

static void put_short(uint8_t *e, const uint8_t name11[11], const struct entry_fields *f,
                      unsigned type)
{
    fat_copy(e, name11, 11);
    e[11] = f->attr, e[12] = f->case_bits, e[13] = 0;
    fat_put16(e + 14, f->create_time), fat_put16(e + 16, f->create_date);
    fat_put16(e + 18, f->write_date);
    fat_put16(e + 20, type == 32 ? f->first_cluster >> 16 : 0);
    fat_put16(e + 22, f->write_time), fat_put16(e + 24, f->write_date);
    fat_put16(e + 26, f->first_cluster & 0xffff);
    fat_put32(e + 28, f->size);
}

/* Long-name entry j of 'entries' (the last part first, as on disk). */
static void put_lfn(uint8_t *e, const uint16_t *u, unsigned n, unsigned j, unsigned entries,
                    uint8_t checksum)
{
    static const uint8_t at[LFN_UNITS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};
    unsigned ord = entries - j;
    e[0] = (uint8_t)(ord | (j == 0 ? 0x40 : 0));
    e[11] = ATTR_LFN, e[12] = 0, e[13] = checksum;
    fat_put16(e + 26, 0);
    for (unsigned k = 0; k < LFN_UNITS; k++) {
        unsigned i = (ord - 1) * LFN_UNITS + k;
        fat_put16(e + at[k], i < n ? u[i] : i == n ? 0 : 0xffff);
    }
}

/* The entries of a name (long ones if it needs them, then the short) at
 * slots from first on, and the end marker after them if they took it. */
static enum fat_status put_entries(struct fat_volume *v, uint32_t dir, uint32_t first, bool ended,
                                   const uint16_t *u, unsigned n, unsigned lfns,
                                   const uint8_t name11[11], const struct entry_fields *f)
{
    uint8_t *e;
    enum fat_status st = FAT_OK;
    for (unsigned j = 0; st == FAT_OK && j < lfns; j++)
        if ((st = entry_for_change(v, dir, first + j, &e)) == FAT_OK)
            put_lfn(e, u, n, j, lfns, fat_short_checksum(name11));
    if (st == FAT_OK && (st = entry_for_change(v, dir, first + lfns, &e)) == FAT_OK)
        put_short(e, name11, f, v->type);
    uint64_t lba;
    if (st == FAT_OK && ended && fat_dir_sector(v, dir, first + lfns + 1, &lba) == FAT_OK &&
        (st = entry_for_change(v, dir, first + lfns + 1, &e)) == FAT_OK)
        e[0] = ENTRY_END;
    return st;
}

/* A name about to get entries in a directory: checked, its short name
 * chosen, its slots found (the directory grown if need be). */
struct new_entry {
    uint16_t units[MAX_LFN_BYTES];
    unsigned count, lfns;
    uint8_t name11[11], case_bits;
    uint32_t first; /* slot */
    bool ended;     /* the slots took the directory's end marker */
};

/* Everything that can refuse a new name, before anything is written for
 * it: the name, its short name (unlike every entry's but entry skip's), room. */
static enum fat_status plan_entry(struct fat_volume *v, uint32_t dir, const char *name,
                                  unsigned n, uint32_t skip, struct new_entry *e)
{
    bool taken = false;
    enum fat_status st;
    e->lfns = 0;
    if (!utf16_name(name, n, e->units, &e->count))
        return FAT_BAD_PATH;
    if (plain_short(e->units, e->count, e->name11, &e->case_bits)) {
        st = short_taken(v, dir, skip, e->name11, &taken); /* some long name's short one */
    } else {
        e->lfns = (e->count + LFN_UNITS - 1) / LFN_UNITS;
        e->case_bits = 0;
        st = unique_short(v, dir, skip, e->units, e->count, e->name11);
    }
    if (st == FAT_OK && taken)
        st = FAT_EXISTS;
    return st == FAT_OK ? find_slots(v, dir, e->lfns + 1, &e->first, &e->ended) : st;
}

/* The planned entry e (name, n bytes) written with fields f; *out describes it. */
static enum fat_status place_entry(struct fat_volume *v, uint32_t dir, const struct new_entry *e,
                                   const char *name, unsigned n, const struct entry_fields *f,
                                   struct fat_dirent *out)
{
    struct entry_fields fields = *f;
    fields.case_bits = e->case_bits;
    enum fat_status st = put_entries(v, dir, e->first, e->ended, e->units, e->count, e->lfns,
                                     e->name11, &fields);
    if (st != FAT_OK)
        return st;
    fat_copy((uint8_t *)out->name, (const uint8_t *)name, n);
    out->name[n] = 0;
    out->dir = f->attr & ATTR_DIR, out->lfn_entries = (uint8_t)e->lfns;
    out->parent = dir, out->index = e->first + e->lfns;
    out->first_cluster = f->first_cluster, out->size = f->size;
    out->create_date = f->create_date, out->create_time = f->create_time;
    out->write_date = f->write_date, out->write_time = f->write_time;
    out->at_index = out->at_cluster = 0;
    out->marks = NULL;
    return FAT_OK;
}

/* The short entry of f, rewritten from f. */
static enum fat_status store_entry(struct fat_volume *v, const struct fat_dirent *f)
{
    uint8_t *e;
    if (f->index == UINT32_MAX)
        return FAT_OK; /* the root has no entry */
    enum fat_status st = entry_for_change(v, f->parent, f->index, &e);
    if (st != FAT_OK)
        return st;
    fat_put16(e + 20, v->type == 32 ? f->first_cluster >> 16 : 0);
    fat_put16(e + 26, f->first_cluster & 0xffff);
    fat_put32(e + 28, f->dir ? 0 : f->size);
    fat_put16(e + 22, f->write_time), fat_put16(e + 24, f->write_date);
    fat_put16(e + 18, f->write_date);
    e[11] |= f->dir ? 0 : ATTR_ARCHIVE;
    return FAT_OK;
}

/* f's entries (long ones and short) marked free. */
static enum fat_status remove_entries(struct fat_volume *v, const struct fat_dirent *f)
{
    for (uint32_t i = f->index - f->lfn_entries; i <= f->index; i++) {
        uint8_t *e;
        enum fat_status st = entry_for_change(v, f->parent, i, &e);
        if (st != FAT_OK)
            return st;
        e[0] = ENTRY_FREE;
    }
    return FAT_OK;
}

/* ---- paths ---- */

/* The directory path's last component is to go in, and that component. */
static enum fat_status lookup_parent(const struct fat_volume *v, const char *path,
                                     struct fat_dirent *parent, const char **name, unsigned *n)
{
    char prefix[FAT_PATH_MAX];
    unsigned len = fat_length(path), slash = 0;
    if (path[0] != '/' || len >= FAT_PATH_MAX)
        return FAT_BAD_PATH;
    while (len > 1 && path[len - 1] == '/')
        len--; /* "dir/" names dir */
    for (unsigned i = 0; i < len; i++)
        if (path[i] == '/')
            slash = i;
    *name = path + slash + 1, *n = len - slash - 1;
    if (!*n || *n >= FAT_NAME_BYTES)
        return *n ? FAT_BAD_PATH : FAT_INVALID; /* "/" itself */
    fat_copy((uint8_t *)prefix, (const uint8_t *)path, slash ? slash : 1);
    prefix[slash ? slash : 1] = 0;
    enum fat_status st = fat_lookup(v, prefix, parent);
    return st == FAT_OK && !parent->dir ? FAT_NOT_DIR : st;
}

static void stamp(struct entry_fields *f, uint64_t now)
{
    fat_time_of(now, &f->write_date, &f->write_time);
    f->create_date = f->write_date, f->create_time = f->write_time;
}

/* "." and ".." in a new directory's first sector. */
static enum fat_status put_dots(struct fat_volume *v, uint32_t c, uint32_t parent,
                                const struct entry_fields *f)
{
    static const uint8_t dot[11] = ".          ", dotdot[11] = "..         ";
    uint8_t *s = v->io->modify(v->ctx, fat_cluster_sector(v, c));
    if (!s)
        return FAT_AGAIN;
    struct entry_fields d = *f;
    d.first_cluster = c;
    put_short(s, dot, &d, v->type);
    d.first_cluster = parent == v->root_cluster ? 0 : parent; /* the root is 0 in ".." */
    put_short(s + DIR_ENTRY_SIZE, dotdot, &d, v->type);
    return FAT_OK;
}

enum fat_status fat_create(struct fat_volume *v, const char *path, bool dir, uint64_t now,
                           struct fat_dirent *out)
{
    struct fat_dirent parent;
    struct new_entry e;
    const char *name;
    unsigned n;
    enum fat_status st = check_writable(v);
    if (st == FAT_OK)
        st = lookup_parent(v, path, &parent, &name, &n);
    if (st != FAT_OK)
        return st;
    st = fat_find_in(v, parent.first_cluster, name, n, out);
    if (st != FAT_NOT_FOUND)
        return st == FAT_OK ? FAT_EXISTS : st;
    struct entry_fields f = {.attr = dir ? ATTR_DIR : ATTR_ARCHIVE};
    stamp(&f, now);
    st = plan_entry(v, parent.first_cluster, name, n, UINT32_MAX, &e);
    if (st == FAT_OK && dir && (st = new_dir_cluster(v, &f.first_cluster)) == FAT_OK &&
        (st = put_dots(v, f.first_cluster, parent.first_cluster, &f)) == FAT_OK)
        st = commit(v, false);
    if (st == FAT_OK)
        st = place_entry(v, parent.first_cluster, &e, name, n, &f, out);
    return st == FAT_OK ? commit(v, false) : st;
}

/* ---- file contents ---- */

/* f's chain long enough for 'end' bytes: *have is the bytes it then
 * covers (less than end only if the disk filled). f's memo is left at the
 * chain's old end, where a write that grows the file starts. */
static enum fat_status grow_to(struct fat_volume *v, struct fat_dirent *f, uint64_t end,
                               uint64_t *have)
{
    uint32_t cb = fat_cluster_bytes(v), last, next;
    uint64_t need = (end + cb - 1) / cb, clusters = f->size ? (f->size + (uint64_t)cb - 1) / cb : 1;
    enum fat_status st = FAT_OK;
    *have = 0;
    if (!f->first_cluster && (st = allocate(v, &f->first_cluster)) == FAT_OK)
        f->at_index = 0, f->at_cluster = 0;
    if (st != FAT_OK || need <= clusters) {
        *have = st == FAT_OK ? clusters * cb : 0;
        return st;
    }
    if ((st = fat_seek(v, f, (clusters - 1) * cb, &last)) == FAT_OK && !last)
        st = FAT_CORRUPT; /* the chain ends before the file does */
    while (st == FAT_OK && clusters < need) {
        uint32_t run = 1;
        if ((st = fat_next(v, last, &next)) == FAT_OK && !next) { /* the chain's end: a run more */
            uint64_t more = need - clusters;
            st = allocate_run(v, more < UINT32_MAX ? (uint32_t)more : UINT32_MAX, &next, &run);
            if (st == FAT_OK)
                st = set_entry(v, last, next);
        }
        if (st == FAT_OK)
            last = next + run - 1, clusters += run;
    }
    if (st == FAT_OK || st == FAT_NO_SPACE)
        *have = clusters * cb;
    return st;
}

/* n bytes from src (NULL: zeros) to the disk at byte 'at': whole sectors
 * straight out, a partial one at either end read, changed and written. */
static enum fat_status write_span(const struct fat_volume *v, uint64_t at, const uint8_t *src,
                                  uint32_t n)
{
    uint8_t sector[FAT_SECTOR_SIZE];
    while (n) {
        uint64_t lba = at / FAT_SECTOR_SIZE;
        uint32_t skip = at % FAT_SECTOR_SIZE, part, count = 1;
        const uint8_t *out = sector;
        if (skip || n < FAT_SECTOR_SIZE) {
            part = FAT_SECTOR_SIZE - skip < n ? FAT_SECTOR_SIZE - skip : n;
            if (!v->io->read_data(v->ctx, lba, 1, sector))
                return FAT_AGAIN;
            if (src)
                fat_copy(sector + skip, src, part);
            else
                fat_fill(sector + skip, 0, part);
        } else {
            count = src ? n / FAT_SECTOR_SIZE : 1;
            count = count < FAT_IO_MAX_SECTORS ? count : FAT_IO_MAX_SECTORS;
            part = count * FAT_SECTOR_SIZE;
            out = src ? src : zero_sector;
        }
        if (!v->io->write_data(v->ctx, lba, count, out))
            return FAT_AGAIN;
        at += part, n -= part;
        src = src ? src + part : NULL;
    }
    return FAT_OK;
}

/* len bytes of src (NULL: zeros) into f's existing chain at offset. */
static enum fat_status write_chain(struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                                   const uint8_t *src, uint32_t len)
{
    uint32_t cb = fat_cluster_bytes(v), c, done = 0;
    enum fat_status st = fat_seek(v, f, offset, &c);
    while (st == FAT_OK && done < len) {
        uint32_t skip = (offset + done) % cb, left = len - done, n, next;
        uint32_t need = (uint32_t)(((uint64_t)skip + left + cb - 1) / cb);
        if (!c)
            return FAT_CORRUPT;
        st = fat_contiguous(v, c, need < fat_run_limit(v) ? need : fat_run_limit(v), &n, &next);
        uint32_t part = (uint64_t)n * cb - skip < left ? n * cb - skip : left;
        if (st == FAT_OK)
            st = write_span(v, fat_cluster_sector(v, c) * FAT_SECTOR_SIZE + skip,
                            src ? src + done : NULL, part);
        done += part;
        c = next;
    }
    return st;
}

/* len bytes at offset, growing the chain first; *done how many fit. */
static enum fat_status write_range(struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                                   const uint8_t *src, uint32_t len, uint32_t *done)
{
    uint64_t have;
    *done = 0;
    if (!len)
        return FAT_OK;
    enum fat_status grown = grow_to(v, f, offset + len, &have);
    if (grown != FAT_OK && grown != FAT_NO_SPACE)
        return grown;
    uint32_t fit = have <= offset ? 0 : have - offset < len ? (uint32_t)(have - offset) : len;
    enum fat_status st = fit ? write_chain(v, f, offset, src, fit) : FAT_OK;
    if (st == FAT_OK)
        *done = fit;
    return st == FAT_OK ? grown : st;
}

static void touch(struct fat_dirent *f, uint64_t now)
{
    fat_time_of(now, &f->write_date, &f->write_time);
}

enum fat_status fat_write(struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                          const uint8_t *buf, uint32_t len, uint64_t now, uint32_t *done)
{
    uint32_t gap = 0;
    enum fat_status st = check_writable(v);
    *done = 0;
    if (st != FAT_OK || f->dir)
        return st != FAT_OK ? st : FAT_IS_DIR;
    if (!len)
        return FAT_OK;
    if (offset + len > UINT32_MAX)
        return FAT_NO_SPACE; /* FAT's files end below 4 GiB */
    if (offset > f->size) {
        st = write_range(v, f, f->size, NULL, (uint32_t)(offset - f->size), &gap);
        f->size += gap;
    }
    if (st == FAT_OK)
        st = write_range(v, f, offset, buf, len, done);
    if (*done && offset + *done > f->size)
        f->size = (uint32_t)(offset + *done);
    touch(f, now);
    enum fat_status stored = store_entry(v, f); /* committed later (fat.h) */
    if (stored == FAT_OK)
        stored = update_fsinfo(v); /* so that it goes with them */
    return st != FAT_OK ? st : stored;
}

/* f cut to size: its entry first, then the clusters it no longer needs. */
static enum fat_status shrink(struct fat_volume *v, struct fat_dirent *f, uint32_t size)
{
    uint32_t cb = fat_cluster_bytes(v), keep = (uint32_t)(((uint64_t)size + cb - 1) / cb);
    uint32_t last = 0, tail = f->first_cluster;
    enum fat_status st = FAT_OK;
    if (keep && (st = fat_seek(v, f, (uint64_t)(keep - 1) * cb, &last)) == FAT_OK &&
        (!last || (st = fat_next(v, last, &tail)) != FAT_OK))
        return st != FAT_OK ? st : FAT_CORRUPT;
    if (st != FAT_OK)
        return st;
    f->size = size;
    f->first_cluster = keep ? f->first_cluster : 0;
    f->at_index = f->at_cluster = 0;
    if (f->marks)
        f->marks->count = 0, f->marks->stride_log2 = 0; /* the chain changes under them */
    if ((st = store_entry(v, f)) == FAT_OK && (st = commit(v, false)) == FAT_OK && tail) {
        if (last)
            st = set_entry(v, last, chain_end_value(v));
        if (st == FAT_OK)
            st = free_chain(v, tail);
    }
    return st;
}

enum fat_status fat_truncate(struct fat_volume *v, struct fat_dirent *f, uint32_t size,
                             uint64_t now)
{
    uint32_t done;
    enum fat_status st = check_writable(v);
    if (st != FAT_OK || f->dir)
        return st != FAT_OK ? st : FAT_IS_DIR;
    touch(f, now);
    if (size > f->size) {
        st = write_range(v, f, f->size, NULL, size - f->size, &done);
        f->size += done; /* as far as it went: the entry must say so */
        enum fat_status stored = st == FAT_OK || st == FAT_NO_SPACE ? store_entry(v, f) : st;
        if (stored == FAT_OK)
            stored = commit(v, false);
        return stored != FAT_OK ? stored : st;
    }
    if (size < f->size)
        st = shrink(v, f, size);
    return st == FAT_OK ? commit(v, false) : st;
}

/* ---- removal and renames ---- */

/* Entries first (committed), then the clusters. */
static enum fat_status remove_file(struct fat_volume *v, const struct fat_dirent *f)
{
    enum fat_status st = remove_entries(v, f);
    if (st == FAT_OK)
        st = commit(v, false);
    if (st == FAT_OK)
        st = free_chain(v, f->first_cluster);
    return st == FAT_OK ? commit(v, false) : st;
}

static enum fat_status check_empty(const struct fat_volume *v, const struct fat_dirent *d)
{
    struct fat_dir pos = {d->first_cluster, 0, 0, 0};
    struct fat_dirent e;
    enum fat_status st = fat_readdir(v, &pos, &e);
    return st == FAT_END ? FAT_OK : st == FAT_OK ? FAT_NOT_EMPTY : st;
}

static enum fat_status lookup_to_remove(struct fat_volume *v, const char *path,
                                        struct fat_dirent *f)
{
    enum fat_status st = check_writable(v);
    if (st == FAT_OK)
        st = fat_lookup(v, path, f);
    return st == FAT_OK && f->index == UINT32_MAX ? FAT_INVALID : st;
}

enum fat_status fat_unlink(struct fat_volume *v, const char *path)
{
    struct fat_dirent f;
    enum fat_status st = lookup_to_remove(v, path, &f);
    if (st != FAT_OK || f.dir)
        return st != FAT_OK ? st : FAT_IS_DIR;
    return remove_file(v, &f);
}

enum fat_status fat_rmdir(struct fat_volume *v, const char *path)
{
    struct fat_dirent d;
    enum fat_status st = lookup_to_remove(v, path, &d);
    if (st == FAT_OK && !d.dir)
        st = FAT_NOT_DIR;
    if (st == FAT_OK)
        st = check_empty(v, &d);
    return st == FAT_OK ? remove_file(v, &d) : st;
}

/* The directory ".." of dir names (0 for the root: its cluster). */
static enum fat_status parent_of(const struct fat_volume *v, uint32_t dir, uint32_t *parent)
{
    uint64_t lba;
    enum fat_status st = fat_dir_sector(v, dir, 1, &lba);
    if (st != FAT_OK)
        return st == FAT_END ? FAT_CORRUPT : st;
    const uint8_t *e = entry_to_read(v, lba, 1);
    if (!e)
        return FAT_AGAIN;
    if (e[0] != '.' || e[1] != '.' || !(e[11] & ATTR_DIR))
        return FAT_CORRUPT;
    uint32_t c = fat_get16(e + 26) | (v->type == 32 ? fat_get16(e + 20) << 16 : 0);
    *parent = c ? c : v->root_cluster;
    return c && !fat_valid_cluster(v, c) ? FAT_CORRUPT : FAT_OK;
}

/* Is directory 'inside' moved_dir or below it? (walked up, bounded) */
static enum fat_status within(const struct fat_volume *v, uint32_t inside, uint32_t moved_dir,
                              bool *below)
{
    *below = false;
    for (unsigned depth = 0; depth < MAX_DEPTH; depth++) {
        if (inside == moved_dir) {
            *below = true;
            return FAT_OK;
        }
        if (inside == v->root_cluster)
            return FAT_OK;
        enum fat_status st = parent_of(v, inside, &inside);
        if (st != FAT_OK)
            return st;
    }
    return FAT_CORRUPT;
}

/* A moved directory's ".." names its new parent. */
static enum fat_status repoint_dotdot(struct fat_volume *v, uint32_t dir, uint32_t parent)
{
    uint8_t *e;
    enum fat_status st = entry_for_change(v, dir, 1, &e);
    if (st != FAT_OK)
        return st;
    uint32_t c = parent == v->root_cluster ? 0 : parent;
    fat_put16(e + 20, v->type == 32 ? c >> 16 : 0);
    fat_put16(e + 26, c & 0xffff);
    return FAT_OK;
}

static void fields_of(const struct fat_dirent *f, struct entry_fields *out)
{
    *out = (struct entry_fields){.attr = f->dir ? ATTR_DIR : ATTR_ARCHIVE,
                                 .first_cluster = f->first_cluster, .size = f->size,
                                 .create_date = f->create_date, .create_time = f->create_time,
                                 .write_date = f->write_date, .write_time = f->write_time};
}

/* The target t, of the same kind as src, takes src's clusters in place. */
static enum fat_status replace(struct fat_volume *v, const struct fat_dirent *src,
                               struct fat_dirent *t)
{
    if (t->dir != src->dir)
        return src->dir ? FAT_NOT_DIR : FAT_IS_DIR;
    enum fat_status st = t->dir ? check_empty(v, t) : FAT_OK;
    uint32_t old = t->first_cluster;
    t->first_cluster = src->first_cluster, t->size = src->size;
    t->write_date = src->write_date, t->write_time = src->write_time;
    if (st == FAT_OK)
        st = store_entry(v, t);
    t->first_cluster = old; /* freed once src's entries are gone */
    return st;
}

/* The source's entries gone and, for a directory that moved, ".." set;
 * then the clusters of what the target replaced (old: 0 if none). */
static enum fat_status finish_rename(struct fat_volume *v, const struct fat_dirent *src,
                                     uint32_t new_parent, uint32_t old)
{
    enum fat_status st = commit(v, true); /* the new name is on the disk first */
    if (st == FAT_OK)
        st = remove_entries(v, src);
    if (st == FAT_OK && src->dir && src->parent != new_parent)
        st = repoint_dotdot(v, src->first_cluster, new_parent);
    if (st == FAT_OK)
        st = commit(v, false);
    if (st == FAT_OK && old && old != src->first_cluster) /* (the same: a corrupt cross-link) */
        st = free_chain(v, old);
    return st == FAT_OK ? commit(v, false) : st;
}

enum fat_status fat_rename(struct fat_volume *v, const char *from, const char *to, uint64_t now)
{
    struct fat_dirent src, parent, target;
    const char *name;
    unsigned n;
    bool below = false;
    (void)now; /* a rename keeps the file's times, as POSIX file systems do */
    enum fat_status st = lookup_to_remove(v, from, &src);
    if (st == FAT_OK)
        st = lookup_parent(v, to, &parent, &name, &n);
    if (st == FAT_OK && src.dir)
        st = within(v, parent.first_cluster, src.first_cluster, &below);
    if (st != FAT_OK || below)
        return st != FAT_OK ? st : FAT_INVALID;
    st = fat_find_in(v, parent.first_cluster, name, n, &target);
    bool itself = st == FAT_OK && target.parent == src.parent && target.index == src.index;
    if (st == FAT_OK && !itself) {
        st = replace(v, &src, &target);
        return st == FAT_OK ? finish_rename(v, &src, parent.first_cluster, target.first_cluster)
                            : st;
    }
    if (st != FAT_OK && st != FAT_NOT_FOUND)
        return st;
    struct entry_fields f;
    struct new_entry e;
    fields_of(&src, &f);
    st = plan_entry(v, parent.first_cluster, name, n, itself ? src.index : UINT32_MAX, &e);
    if (st == FAT_OK)
        st = place_entry(v, parent.first_cluster, &e, name, n, &f, &target);
    return st == FAT_OK ? finish_rename(v, &src, parent.first_cluster, 0) : st;
}

/* ---- the volume ---- */

/* Before the first change: a FAT32 volume's free clusters counted, so
 * that FSInfo can be kept true (if it is FSInfo: its signatures checked). */
static enum fat_status check_writable(struct fat_volume *v)
{
    uint32_t free;
    if (!v->writable)
        return FAT_READ_ONLY;
    if (!v->fsinfo || v->free_clusters != FAT_UNKNOWN)
        return FAT_OK;
    const uint8_t *s = v->io->read(v->ctx, v->fsinfo);
    if (!s)
        return FAT_AGAIN;
    if (fat_get32(s) != 0x41615252 || fat_get32(s + 484) != 0x61417272) {
        v->fsinfo = 0; /* not FSInfo after all: left alone */
        return FAT_OK;
    }
    return fat_free_clusters(v, &free);
}

enum fat_status fat_sync(struct fat_volume *v)
{
    return v->writable ? commit(v, true) : FAT_OK;
}

enum fat_status fat_write_back(struct fat_volume *v)
{
    return v->writable ? commit(v, false) : FAT_OK;
}

enum fat_status fat_free_clusters(struct fat_volume *v, uint32_t *free)
{
    uint32_t count = 0;
    for (uint32_t c = FIRST_CLUSTER; v->free_clusters == FAT_UNKNOWN && c - FIRST_CLUSTER < v->clusters;
         c++) {
        uint32_t value;
        enum fat_status st = fat_entry(v, c, &value);
        if (st != FAT_OK)
            return st;
        count += !value;
        if (c + 1 - FIRST_CLUSTER == v->clusters)
            v->free_clusters = count;
    }
    *free = v->free_clusters;
    return FAT_OK;
}

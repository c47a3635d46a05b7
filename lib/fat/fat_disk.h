/*
 * What the two halves of the FAT library (fat.c reads, fat_write.c
 * changes) share about the on-disk format. Private to lib/fat.
 */
#ifndef PRIDE_FAT_DISK_H
#define PRIDE_FAT_DISK_H

#include "fat.h"

#define DIR_ENTRY_SIZE 32
#define ENTRIES_PER_SECTOR (FAT_SECTOR_SIZE / DIR_ENTRY_SIZE)
#define MAX_DIR_ENTRIES 65536 /* FAT's limit: a larger directory is corrupt */
#define ATTR_READ_ONLY 0x01
#define ATTR_VOLUME 0x08
#define ATTR_DIR 0x10
#define ATTR_ARCHIVE 0x20
#define ATTR_LFN 0x0f
#define LFN_UNITS 13 /* UTF-16 units per long-name entry */
#define LFN_MAX_ENTRIES 20
#define FIRST_CLUSTER 2
#define ENTRY_FREE 0xe5
#define ENTRY_END 0x00

/* Freestanding: the few string helpers the library needs, without libc. */
static inline unsigned fat_length(const char *s)
{
    unsigned n = 0;
    while (s[n])
        n++;
    return n;
}

static inline void fat_copy(uint8_t *dst, const uint8_t *src, uint32_t n)
{
    while (n--)
        *dst++ = *src++;
}

static inline void fat_fill(uint8_t *dst, uint8_t byte, uint32_t n)
{
    while (n--)
        *dst++ = byte;
}

/* The checksum of a short name that its long-name entries carry. */
static inline uint8_t fat_short_checksum(const uint8_t *name11)
{
    uint8_t sum = 0;
    for (unsigned i = 0; i < 11; i++)
        sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + name11[i]);
    return sum;
}

static inline uint32_t fat_get16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t fat_get32(const uint8_t *p)
{
    return fat_get16(p) | fat_get16(p + 2) << 16;
}

static inline void fat_put16(uint8_t *p, uint32_t x)
{
    p[0] = (uint8_t)x, p[1] = (uint8_t)(x >> 8);
}

static inline void fat_put32(uint8_t *p, uint32_t x)
{
    fat_put16(p, x), fat_put16(p + 2, x >> 16);
}

static inline bool fat_valid_cluster(const struct fat_volume *v, uint32_t c)
{
    return c >= FIRST_CLUSTER && c - FIRST_CLUSTER < v->clusters;
}

static inline uint64_t fat_cluster_sector(const struct fat_volume *v, uint32_t c)
{
    return v->data_start + (uint64_t)(c - FIRST_CLUSTER) * v->sectors_per_cluster;
}

static inline uint32_t fat_cluster_bytes(const struct fat_volume *v)
{
    return v->sectors_per_cluster * FAT_SECTOR_SIZE;
}

/* The end-of-chain value of the volume's type (the smallest that means it). */
static inline uint32_t fat_end_of_chain(const struct fat_volume *v)
{
    return v->type == 12 ? 0xff8 : v->type == 16 ? 0xfff8 : 0x0ffffff8;
}

/* Cluster c's FAT entry, as it is (c checked in range by the caller). */
enum fat_status fat_entry(const struct fat_volume *v, uint32_t c, uint32_t *value);
/* The cluster after c in its chain (0 at its end); a free, bad or
 * out-of-range entry inside a chain is corruption. */
enum fat_status fat_next(const struct fat_volume *v, uint32_t c, uint32_t *next);
/* The n-th cluster of the chain from first (0 if the chain is shorter). */
enum fat_status fat_walk(const struct fat_volume *v, uint32_t first, uint64_t n, uint32_t *c);
/* The sector holding entry i of directory d (its memo used and moved on);
 * FAT_END past its end. */
enum fat_status fat_dir_sector_at(const struct fat_volume *v, struct fat_dir *d, uint32_t i,
                                  uint64_t *lba);
/* The sector holding entry i of a directory; FAT_END past its end. */
enum fat_status fat_dir_sector(const struct fat_volume *v, uint32_t first, uint32_t i,
                               uint64_t *lba);
/* The n bytes of name, compared as FAT does (ASCII case ignored). */
bool fat_same_name(const char *a, const char *b, unsigned n);
/* The entry called name (n bytes) in the directory from first_cluster. */
enum fat_status fat_find_in(const struct fat_volume *v, uint32_t first_cluster, const char *name,
                            unsigned n, struct fat_dirent *out);
/* How many clusters from c on (at most max) lie one after another on the
 * disk, as *n; *after is the cluster that follows them (0: none). */
enum fat_status fat_contiguous(const struct fat_volume *v, uint32_t c, uint32_t max, uint32_t *n,
                               uint32_t *after);
/* The most clusters one run may cover, so that a run is one device call. */
uint32_t fat_run_limit(const struct fat_volume *v);
/* The root as a fat_dirent. */
void fat_root(const struct fat_volume *v, struct fat_dirent *out);
/* The cluster holding byte 'offset' of f (0 past its chain's end), from
 * f's memo when it is at or before it. */
enum fat_status fat_seek(const struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                         uint32_t *c);

#endif

/*
 * FAT12, FAT16 and FAT32 volumes, read side: the boot sector, cluster
 * chains, directories with long file names, path lookup and file reads.
 * The code keeps no state beyond struct fat_volume and reads sectors
 * through a callback, so the file-system server can run it over its
 * sector cache, and the host tests over an image file. A callback that
 * has not got a sector yet returns NULL: the operation answers FAT_AGAIN
 * and is simply run again once the sector is in (every operation here
 * only reads, so a rerun is exact).
 *
 * Everything read from the disk is untrusted: the boot sector's fields are
 * checked against each other and the volume's size, every cluster number
 * is checked to be in range before it is followed, a chain longer than
 * the volume has clusters is a loop, names are checked, and every walk is
 * bounded. A volume that breaks a rule answers FAT_CORRUPT.
 */
#ifndef PRIDE_FAT_H
#define PRIDE_FAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAT_SECTOR_SIZE 512
#define FAT_NAME_MAX 255       /* UTF-16 units of a long name */
#define FAT_NAME_BYTES 766     /* the UTF-8 of the longest name, and its NUL */
#define FAT_PATH_MAX 1024

enum fat_status {
    FAT_OK = 0,
    FAT_AGAIN,       /* a sector is not in yet: run the operation again later */
    FAT_CORRUPT,     /* the volume breaks a rule (nothing is followed) */
    FAT_NOT_FOUND,
    FAT_NOT_DIR,     /* a path goes through a file */
    FAT_IS_DIR,
    FAT_BAD_PATH,    /* empty component, too long, not UTF-8... */
    FAT_END,         /* no more directory entries */
};

typedef const uint8_t *(*fat_sector_fn)(void *ctx, uint64_t lba);

struct fat_volume {
    fat_sector_fn sector;
    void *ctx;
    unsigned type; /* 12, 16 or 32 */
    uint32_t sectors_per_cluster, fat_sectors, root_entries, clusters;
    uint32_t root_cluster; /* FAT32; 0 for the fixed root of FAT12/16 */
    uint64_t total_sectors, fat_start, root_start, data_start;
};

/* A directory entry, with its name as UTF-8 (the long name if it has a
 * valid one, else the short name). */
struct fat_dirent {
    char name[FAT_NAME_BYTES];
    bool dir;
    uint32_t first_cluster;
    uint32_t size; /* bytes; 0 for a directory */
    /* fat_read's memo: cluster number 'at_index' of the chain is
     * 'at_cluster' (0: none yet), so reading on needs no walk from the start. */
    uint32_t at_index, at_cluster;
};

/* A position in a directory: its first cluster (0: FAT12/16's root) and
 * the index of the next entry. */
struct fat_dir {
    uint32_t first_cluster;
    uint32_t next;
};

enum fat_status fat_mount(struct fat_volume *v, fat_sector_fn sector, void *ctx,
                          uint64_t volume_sectors);
/* The entry after d's position (skipping deleted entries, volume labels and
 * "." and ".."); advances d. FAT_END at the end. */
enum fat_status fat_readdir(const struct fat_volume *v, struct fat_dir *d, struct fat_dirent *out);
/* "/" is the root; components are separated by '/' and compared without
 * regard to ASCII case, as FAT does. */
enum fat_status fat_lookup(const struct fat_volume *v, const char *path, struct fat_dirent *out);
/* Up to len bytes of f from offset (fewer at its end: *got says how many). */
enum fat_status fat_read(const struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                         uint8_t *buf, uint32_t len, uint32_t *got);

#endif

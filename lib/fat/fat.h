/*
 * FAT12, FAT16 and FAT32 volumes: the boot sector, cluster chains,
 * directories with long file names, path lookup, file reads and (on a
 * volume mounted writable) every change a file system makes: create,
 * write, truncate, unlink, mkdir, rmdir, rename, sync.
 *
 * The code keeps no state beyond struct fat_volume and the caller's
 * struct fat_dirent, and reaches the disk through struct fat_io: metadata
 * (FAT and directory sectors) through the caller's sector cache, file data
 * straight between the disk and the caller's buffer, so file data never
 * sits in the cache. A pointer the cache hands out is valid only until the
 * next call into fat_io. A read operation whose sector is not in yet (an
 * io call answers NULL or false) answers FAT_AGAIN and may simply be run
 * again later (reads change nothing); a change stopped that way stops
 * where it is, as a power cut there would, and its write order (below)
 * makes that safe.
 *
 * Write order, so that a power cut at any moment loses nothing synced
 * before it: file data first, then the FATs (every copy), then directory
 * entries, when something is added (commit writes the FAT area before
 * the rest); directory entries first and then the FATs when something is
 * removed (two commits). Every change ends in a commit but fat_write,
 * whose FAT and directory changes wait in the cache for the next one (any
 * other change, fat_write_back, fat_sync, or the cache needing room): a
 * file written in many calls costs one commit, not one a call, and its
 * data is on the disk before any of them. A rename writes the new entry and flushes the
 * device before removing the old one; replacing a file writes the new
 * cluster into the old entry, one sector, in place.
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
#define FAT_IO_MAX_SECTORS 128 /* the most one read_data/write_data call moves */

enum fat_status {
    FAT_OK = 0,
    FAT_AGAIN,     /* a sector could not be had (not in yet, or an I/O error) */
    FAT_CORRUPT,   /* the volume breaks a rule (nothing is followed) */
    FAT_NOT_FOUND,
    FAT_NOT_DIR,   /* a path goes through a file, or a directory was wanted */
    FAT_IS_DIR,
    FAT_BAD_PATH,  /* empty component, too long, not UTF-8, a character FAT forbids */
    FAT_END,       /* no more directory entries */
    FAT_EXISTS,
    FAT_NO_SPACE,  /* no free cluster, or a full fixed root directory */
    FAT_NOT_EMPTY, /* rmdir of a directory with entries */
    FAT_READ_ONLY, /* the volume is mounted read-only */
    FAT_INVALID,   /* moving a directory into itself, removing the root... */
};

/* The disk, as the caller provides it. A read-only user needs only 'read'
 * and 'read_data'. */
struct fat_io {
    /* A metadata sector, or NULL if it is not to be had now. */
    const uint8_t *(*read)(void *ctx, uint64_t lba);
    /* The same, to change: the cache writes it back at the next commit. */
    uint8_t *(*modify)(void *ctx, uint64_t lba);
    /* A metadata sector whose every byte the caller will write: not read
     * from the disk, handed out zeroed. */
    uint8_t *(*fresh)(void *ctx, uint64_t lba);
    /* Every changed sector to the disk, the FAT area's before the rest,
     * each group complete before the next starts; flush: then a device
     * FLUSH. The cache may also commit by itself when it needs room. */
    bool (*commit)(void *ctx, bool flush);
    /* count (1..FAT_IO_MAX_SECTORS) whole sectors of file data. */
    bool (*read_data)(void *ctx, uint64_t lba, uint32_t count, uint8_t *dst);
    bool (*write_data)(void *ctx, uint64_t lba, uint32_t count, const uint8_t *src);
};

struct fat_volume {
    const struct fat_io *io;
    void *ctx;
    bool writable;
    unsigned type; /* 12, 16 or 32 */
    uint32_t sectors_per_cluster, fat_sectors, fats, root_entries, clusters;
    uint32_t root_cluster; /* FAT32; 0 for the fixed root of FAT12/16 */
    uint32_t fsinfo;       /* FAT32's FSInfo sector, 0 if none */
    uint64_t total_sectors, fat_start, root_start, data_start;
    uint32_t next_free;     /* where the search for a free cluster starts */
    uint32_t free_clusters; /* FAT_UNKNOWN until fat_free_clusters counts them */
    uint32_t fsinfo_free;   /* the count last written to FSInfo */
};
#define FAT_UNKNOWN UINT32_MAX

/* Where every stride-th cluster of a file's chain is (stride 2^stride_log2,
 * doubled when the marks run out), so that a seek walks at most stride - 1
 * links: FAT's chains otherwise make a random read walk from the start.
 * An open file's space, given by the caller; fat_seek fills it as it walks. */
#define FAT_MARKS 128
struct fat_marks {
    uint32_t stride_log2, count;
    uint32_t cluster[FAT_MARKS]; /* cluster[k] is cluster number k << stride_log2 */
};

/* A directory entry: its name as UTF-8 (the long name if it has a valid
 * one, else the short name), where it is, what it holds. An open file is
 * one of these; its memo and size follow the file's changes. */
struct fat_dirent {
    char name[FAT_NAME_BYTES];
    bool dir;
    uint8_t lfn_entries; /* long-name entries just before the short one */
    uint32_t parent;     /* the directory holding it: first cluster, 0 the fixed root */
    uint32_t index;      /* of its short entry there; UINT32_MAX for the root itself */
    uint32_t first_cluster;
    uint32_t size; /* bytes; 0 for a directory */
    uint16_t write_date, write_time, create_date, create_time;
    /* cluster number 'at_index' of the chain is 'at_cluster' (0: none yet),
     * so reading on needs no walk from the start. */
    uint32_t at_index, at_cluster;
    struct fat_marks *marks; /* NULL: none (set by the caller for open files) */
};

/* A position in a directory: its first cluster (0: FAT12/16's root) and
 * the index of the next entry; and a memo (cluster number at_index of the
 * directory's chain is at_cluster; 0: none yet), so that reading on walks
 * one link at a time instead of the chain from its start. */
struct fat_dir {
    uint32_t first_cluster;
    uint32_t next;
    uint32_t at_index, at_cluster;
};

enum fat_status fat_mount(struct fat_volume *v, const struct fat_io *io, void *ctx,
                          uint64_t volume_sectors, bool writable);
/* The entry after d's position (skipping deleted entries, volume labels and
 * "." and ".."); advances d. FAT_END at the end. */
enum fat_status fat_readdir(const struct fat_volume *v, struct fat_dir *d, struct fat_dirent *out);
/* "/" is the root; components are separated by '/' and compared without
 * regard to ASCII case, as FAT does. */
enum fat_status fat_lookup(const struct fat_volume *v, const char *path, struct fat_dirent *out);
/* Up to len bytes of f from offset (fewer at its end: *got says how many). */
enum fat_status fat_read(const struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                         uint8_t *buf, uint32_t len, uint32_t *got);

/* ---- changes (a writable volume) ---- */

/* 'now' is seconds since 1970 (UTC), for the timestamps. */
/* A new empty file or directory at path; FAT_EXISTS if the name is taken. */
enum fat_status fat_create(struct fat_volume *v, const char *path, bool dir, uint64_t now,
                           struct fat_dirent *out);
/* len bytes of buf at offset (a gap past the end reads as zeros); *done
 * says how many went in (fewer only if the disk filled: FAT_NO_SPACE). */
enum fat_status fat_write(struct fat_volume *v, struct fat_dirent *f, uint64_t offset,
                          const uint8_t *buf, uint32_t len, uint64_t now, uint32_t *done);
enum fat_status fat_truncate(struct fat_volume *v, struct fat_dirent *f, uint32_t size,
                             uint64_t now);
enum fat_status fat_unlink(struct fat_volume *v, const char *path);
enum fat_status fat_rmdir(struct fat_volume *v, const char *path);
/* A file over a file, or a directory over an empty directory, replaces it. */
enum fat_status fat_rename(struct fat_volume *v, const char *from, const char *to, uint64_t now);
/* Everything changed is on the device, and the device flushed. */
enum fat_status fat_sync(struct fat_volume *v);
/* Everything changed written to the device (no flush): what fat_write
 * left waiting, at a file's close say. */
enum fat_status fat_write_back(struct fat_volume *v);
/* Free clusters (counted once, then kept up to date). */
enum fat_status fat_free_clusters(struct fat_volume *v, uint32_t *free);

/* FAT's local date and time (taken as UTC) and seconds since 1970. */
uint64_t fat_unix_time(uint16_t date, uint16_t time);
void fat_time_of(uint64_t unix_seconds, uint16_t *date, uint16_t *time);

#endif

/*
 * Host check of the FAT library (lib/fat), built with ASan/UBSan, on
 * images made by mkfs.fat and mcopy.
 *
 *   fatcheck IMAGE           lists every file below "/" as
 *                            "path size crc32" (a line each), read through
 *                            fat_lookup and fat_read in odd-sized pieces;
 *   fatcheck IMAGE N SEED    reads N mutated copies of the image (random
 *                            bytes changed in the boot sector, the FATs, the
 *                            root and the first clusters) the same way: it
 *                            must end every time, without a sanitizer
 *                            report, whatever the answer; prints a tally.
 */
#include "../../lib/fat/fat.h"
#include <blk/partition.h> /* blk_crc32 */

#include "../disk_image.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16   /* a corrupt directory may name an ancestor */
#define MAX_FILES 4096 /* or name itself many times over */

static uint8_t *disk;
static uint64_t sectors;
static unsigned files_seen;
static bool quiet;

static const uint8_t *sector(void *ctx, uint64_t lba)
{
    (void)ctx;
    return lba < sectors ? disk + lba * FAT_SECTOR_SIZE : NULL;
}

static bool read_data(void *ctx, uint64_t lba, uint32_t count, uint8_t *dst)
{
    (void)ctx;
    if (!count || count > FAT_IO_MAX_SECTORS || lba > sectors || count > sectors - lba)
        return false;
    memcpy(dst, disk + lba * FAT_SECTOR_SIZE, (size_t)count * FAT_SECTOR_SIZE);
    return true;
}

static const struct fat_io image_io = {.read = sector, .read_data = read_data};


/* The whole file by path, 1000 bytes at a time (pieces that cross sector
 * and cluster edges). */
static enum fat_status check_file(const struct fat_volume *v, const char *path)
{
    struct fat_dirent f;
    enum fat_status st = fat_lookup(v, path, &f);
    uint8_t buf[1000];
    uint32_t crc = 0, got;
    uint64_t at = 0;
    while (st == FAT_OK && (st = fat_read(v, &f, at, buf, sizeof(buf), &got)) == FAT_OK && got) {
        crc = blk_crc32(crc, buf, got);
        at += got;
    }
    if (st == FAT_OK && at != f.size)
        st = FAT_CORRUPT;
    if (st == FAT_OK && !quiet)
        printf("%s %u %08x\n", path, f.size, crc);
    return st;
}

static enum fat_status list(const struct fat_volume *v, const char *path, const struct fat_dirent *dir,
                            unsigned depth)
{
    struct fat_dir d = {dir->first_cluster, 0, 0, 0};
    struct fat_dirent e;
    enum fat_status st;
    while ((st = fat_readdir(v, &d, &e)) == FAT_OK && files_seen++ < MAX_FILES) {
        char child[FAT_PATH_MAX + FAT_NAME_BYTES + 2];
        snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", e.name);
        if (strlen(child) >= FAT_PATH_MAX)
            continue;
        st = e.dir ? (depth < MAX_DEPTH ? list(v, child, &e, depth + 1) : FAT_OK)
                   : check_file(v, child);
        if (st != FAT_OK)
            return st;
    }
    return st == FAT_END || st == FAT_OK ? FAT_OK : st;
}

static enum fat_status check_volume(void)
{
    struct fat_volume v;
    struct fat_dirent root;
    enum fat_status st = fat_mount(&v, &image_io, NULL, sectors, false);
    files_seen = 0;
    if (st == FAT_OK)
        st = fat_lookup(&v, "/", &root);
    return st == FAT_OK ? list(&v, "/", &root, 0) : st;
}

static int fuzz(unsigned n, unsigned seed)
{
    uint8_t *clean = malloc(sectors * FAT_SECTOR_SIZE);
    memcpy(clean, disk, sectors * FAT_SECTOR_SIZE);
    unsigned tally[FAT_END + 1] = {0};
    struct fat_volume v;
    if (fat_mount(&v, &image_io, NULL, sectors, false) != FAT_OK)
        return 1;
    /* the boot sector, the FATs, the root and the first clusters (the
     * subdirectories mcopy wrote first) */
    uint64_t span = v.data_start + 8 * v.sectors_per_cluster;
    srand(seed);
    quiet = true;
    for (unsigned i = 0; i < n; i++) {
        memcpy(disk, clean, sectors * FAT_SECTOR_SIZE);
        for (int flips = 1 + rand() % 32; flips; flips--)
            disk[(uint64_t)rand() % (span * FAT_SECTOR_SIZE)] = (uint8_t)rand();
        tally[check_volume()]++;
    }
    printf("mutants %u: ok %u, corrupt %u, other %u\n", n, tally[FAT_OK], tally[FAT_CORRUPT],
           n - tally[FAT_OK] - tally[FAT_CORRUPT]);
    free(clean);
    return 0;
}

int main(int argc, char **argv)
{
    disk = argc >= 2 ? disk_image_load(argv[1], &sectors) : NULL;
    if (!disk)
        return 2;
    int status = argc == 4 ? fuzz((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]))
                           : check_volume() == FAT_OK ? 0 : 1;
    free(disk);
    return status;
}

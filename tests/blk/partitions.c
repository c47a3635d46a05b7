/*
 * Host check of the partition-table parser (include/blk/partition.h),
 * built with ASan/UBSan, on disk images made by sfdisk.
 *
 *   partitions IMAGE         prints "mbr", "gpt" or "none", then one
 *                            "start sectors" line per partition, reading
 *                            the disk as the block virtualiser does;
 *   partitions IMAGE N SEED  also N mutated copies of the tables (random
 *                            bytes of sector 0, the GPT headers and the
 *                            entry array changed): every partition found
 *                            must lie inside the disk; prints how many
 *                            mutants still parsed as the same table kind.
 */
#include <blk/partition.h>

#include "../disk_image.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *disk;
static uint64_t capacity;

static const uint8_t *sector(uint64_t lba)
{
    return lba < capacity ? disk + lba * BLK_SECTOR_SIZE : NULL;
}

/* 0 none, 1 MBR, 2 GPT, as blk virtualiser's reading would decide. */
static int read_tables(struct blk_partitions *parts)
{
    bool gpt;
    struct gpt_layout g;
    if (!blk_mbr_parse(sector(0), capacity, parts, &gpt))
        return 0;
    if (!gpt)
        return 1;
    if (!blk_gpt_header_parse(sector(1), 1, capacity, &g) ||
        !blk_gpt_backup_matches(sector(g.alternate_lba), 1, capacity, &g) ||
        !blk_gpt_entries_parse(sector(g.entries_lba), &g, parts))
        return 0;
    return 2;
}

static int fuzz(unsigned n, unsigned seed, int kind)
{
    uint8_t *clean = malloc(capacity * BLK_SECTOR_SIZE);
    memcpy(clean, disk, capacity * BLK_SECTOR_SIZE);
    const uint64_t targets[] = {0, 1, 2, capacity - 1, capacity - 33};
    unsigned same = 0;
    srand(seed);
    for (unsigned i = 0; i < n; i++) {
        memcpy(disk, clean, capacity * BLK_SECTOR_SIZE);
        for (int flips = 1 + rand() % 4; flips; flips--) {
            uint64_t lba = targets[rand() % 5];
            disk[lba * BLK_SECTOR_SIZE + (unsigned)rand() % BLK_SECTOR_SIZE] = (uint8_t)rand();
        }
        struct blk_partitions p;
        int got = read_tables(&p);
        for (unsigned k = 0; k < p.count; k++)
            if (!blk_inside(p.part[k].start, p.part[k].sectors, capacity)) {
                printf("mutant %u: partition %u outside the disk\n", i, k);
                return 1;
            }
        same += got == kind;
    }
    printf("fuzzed %u mutants: %u still read as the same kind, none outside the disk\n", n, same);
    free(clean);
    return 0;
}

int main(int argc, char **argv)
{
    disk = argc >= 2 ? disk_image_load(argv[1], &capacity) : NULL;
    if (!disk || capacity < 64)
        return 2;
    struct blk_partitions p;
    int kind = read_tables(&p);
    printf("%s\n", kind == 2 ? "gpt" : kind == 1 ? "mbr" : "none");
    for (unsigned k = 0; kind && k < p.count; k++)
        printf("%llu %llu\n", (unsigned long long)p.part[k].start,
               (unsigned long long)p.part[k].sectors);
    int status = argc == 4 ? fuzz((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]), kind) : 0;
    free(disk);
    return status;
}

/*
 * Partition tables, as the block virtualiser reads them: MBR (four primary
 * entries) and GPT (header and entry array, both CRC-checked, the backup
 * header at the disk's end compared with the primary). Everything read
 * from the disk is untrusted: an entry is taken only if it lies wholly
 * inside the disk, a GPT only if every check passes, and a disk whose
 * tables do not hold is one without partitions. Plain C11, no state:
 * builds for the host (tests, fuzzing) and AArch64.
 */
#ifndef BLK_PARTITION_H
#define BLK_PARTITION_H

#include <stdbool.h>
#include <stdint.h>
#include <blk/queue.h>

#define BLK_MAX_PARTITIONS 16
#define GPT_ENTRY_SIZE 128
#define GPT_MAX_ENTRY_SECTORS 32 /* 128 entries of 128 bytes: the usual array */
#define MBR_TYPE_GPT 0xee

struct blk_partition {
    uint64_t start, sectors;
    bool fat; /* its type says FAT (MBR's FAT types; GPT's basic data or EFI system) */
};

/* A client's partition given as "the first FAT one" rather than by index. */
#define BLK_PARTITION_FIRST_FAT 0xffu

struct blk_partitions {
    struct blk_partition part[BLK_MAX_PARTITIONS];
    unsigned count;
};

/* What the primary GPT header says the entry array is. */
struct gpt_layout {
    uint64_t entries_lba;
    uint32_t entries, entry_size, entries_crc;
    uint64_t alternate_lba, first_usable, last_usable;
};

static inline uint32_t blk_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t blk_get64(const uint8_t *p)
{
    return blk_get32(p) | (uint64_t)blk_get32(p + 4) << 32;
}

/* CRC-32 (IEEE 802.3, reflected), as GPT uses; 'crc' starts at 0. */
static inline uint32_t blk_crc32(uint32_t crc, const uint8_t *p, uint64_t n)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = crc >> 1 ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

static inline bool blk_inside(uint64_t start, uint64_t sectors, uint64_t capacity)
{
    return sectors && start < capacity && sectors <= capacity - start;
}

/* A FAT boot sector in sector 0 (a disk formatted without a partition
 * table: the whole disk is one volume): a jump instruction, 512-byte
 * sectors, and "FAT" where FAT12/16 or FAT32 put their type. */
static inline bool blk_looks_like_fat(const uint8_t *s)
{
    bool jump = s[0] == 0xeb || s[0] == 0xe9;
    bool fat_name = (s[54] == 'F' && s[55] == 'A' && s[56] == 'T') ||
                    (s[82] == 'F' && s[83] == 'A' && s[84] == 'T');
    return jump && s[11] == 0x00 && s[12] == 0x02 && fat_name;
}

static inline bool blk_mbr_type_fat(uint8_t type)
{
    return type == 0x01 || type == 0x04 || type == 0x06 || type == 0x0b || type == 0x0c ||
           type == 0x0e || type == 0xef;
}

/* A GPT type GUID (as stored) for FAT: basic data or EFI system. */
static inline bool blk_gpt_type_fat(const uint8_t *guid)
{
    static const uint8_t types[2][16] = {
        {0xa2, 0xa0, 0xd0, 0xeb, 0xe5, 0xb9, 0x33, 0x44, 0x87, 0xc0, 0x68, 0xb6, 0xb7, 0x26, 0x99, 0xc7},
        {0x28, 0x73, 0x2a, 0xc1, 0x1f, 0xf8, 0xd2, 0x11, 0xba, 0x4b, 0x00, 0xa0, 0xc9, 0x3e, 0xc9, 0x3b},
    };
    for (unsigned t = 0; t < 2; t++) {
        bool same = true;
        for (unsigned k = 0; k < 16; k++)
            same &= guid[k] == types[t][k];
        if (same)
            return true;
    }
    return false;
}

/* The first partition whose type says FAT, or BLK_MAX_PARTITIONS. */
static inline unsigned blk_first_fat(const struct blk_partitions *t)
{
    unsigned i = 0;
    while (i < t->count && !t->part[i].fat)
        i++;
    return i < t->count ? i : BLK_MAX_PARTITIONS;
}

/* The MBR in sector 0: false if there is none. *gpt: a protective entry
 * says the real table is a GPT (and no MBR partitions are returned). */
static inline bool blk_mbr_parse(const uint8_t *s, uint64_t capacity, struct blk_partitions *out,
                                 bool *gpt)
{
    out->count = 0;
    *gpt = false;
    if (s[510] != 0x55 || s[511] != 0xaa)
        return false;
    for (unsigned i = 0; i < 4; i++) {
        const uint8_t *e = s + 446 + 16 * i;
        uint64_t start = blk_get32(e + 8), sectors = blk_get32(e + 12);
        if (e[4] == MBR_TYPE_GPT)
            *gpt = true;
        else if (e[4] && blk_inside(start, sectors, capacity))
            out->part[out->count++] = (struct blk_partition){start, sectors, blk_mbr_type_fat(e[4])};
    }
    if (*gpt)
        out->count = 0;
    return true;
}

/* A GPT header at 'lba' of a disk of 'capacity' sectors: signature,
 * revision 1.0, size, CRC, where it says it is, and an entry array that
 * fits the disk, the usable range and GPT_MAX_ENTRY_SECTORS. */
static inline bool blk_gpt_header_parse(const uint8_t *s, uint64_t lba, uint64_t capacity,
                                        struct gpt_layout *g)
{
    static const uint8_t signature[8] = {'E', 'F', 'I', ' ', 'P', 'A', 'R', 'T'};
    uint32_t size = blk_get32(s + 12);
    uint8_t copy[BLK_SECTOR_SIZE];
    for (unsigned i = 0; i < 8; i++)
        if (s[i] != signature[i])
            return false;
    if (blk_get32(s + 8) != 0x00010000 || size < 92 || size > BLK_SECTOR_SIZE)
        return false;
    for (unsigned i = 0; i < size; i++)
        copy[i] = i >= 16 && i < 20 ? 0 : s[i]; /* the CRC covers itself as zero */
    if (blk_crc32(0, copy, size) != blk_get32(s + 16) || blk_get64(s + 24) != lba)
        return false;
    *g = (struct gpt_layout){blk_get64(s + 72), blk_get32(s + 80), blk_get32(s + 84),
                             blk_get32(s + 88), blk_get64(s + 32), blk_get64(s + 40),
                             blk_get64(s + 48)};
    uint64_t bytes = (uint64_t)g->entries * g->entry_size;
    return g->entry_size == GPT_ENTRY_SIZE && g->entries &&
           bytes <= (uint64_t)GPT_MAX_ENTRY_SECTORS * BLK_SECTOR_SIZE &&
           blk_inside(g->entries_lba, (bytes + BLK_SECTOR_SIZE - 1) / BLK_SECTOR_SIZE, capacity) &&
           g->first_usable <= g->last_usable && g->last_usable < capacity &&
           g->alternate_lba < capacity;
}

/* Sectors holding the entry array. */
static inline uint32_t blk_gpt_entry_sectors(const struct gpt_layout *g)
{
    return (g->entries * GPT_ENTRY_SIZE + BLK_SECTOR_SIZE - 1) / BLK_SECTOR_SIZE;
}

/* The backup header agrees with the primary: the same array (by CRC and
 * count), and each says where the other is. */
static inline bool blk_gpt_backup_matches(const uint8_t *s, uint64_t primary_lba,
                                          uint64_t capacity, const struct gpt_layout *primary)
{
    struct gpt_layout b;
    return blk_gpt_header_parse(s, primary->alternate_lba, capacity, &b) &&
           b.alternate_lba == primary_lba && b.entries == primary->entries &&
           b.entries_crc == primary->entries_crc && b.first_usable == primary->first_usable &&
           b.last_usable == primary->last_usable;
}

/* The entries in use, each inside the usable range; false if the array's
 * CRC is wrong. */
static inline bool blk_gpt_entries_parse(const uint8_t *array, const struct gpt_layout *g,
                                         struct blk_partitions *out)
{
    out->count = 0;
    if (blk_crc32(0, array, (uint64_t)g->entries * GPT_ENTRY_SIZE) != g->entries_crc)
        return false;
    for (uint32_t i = 0; i < g->entries && out->count < BLK_MAX_PARTITIONS; i++) {
        const uint8_t *e = array + (uint64_t)i * GPT_ENTRY_SIZE;
        bool used = false;
        for (unsigned k = 0; k < 16; k++)
            used |= e[k] != 0; /* a type GUID */
        uint64_t first = blk_get64(e + 32), last = blk_get64(e + 40);
        if (used && first >= g->first_usable && last <= g->last_usable && first <= last)
            out->part[out->count++] = (struct blk_partition){first, last - first + 1, blk_gpt_type_fat(e)};
    }
    return true;
}

#endif

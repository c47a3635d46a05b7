/*
 * For the host tests that read disk images (tests/blk, tests/fs): the
 * whole image in memory, in 512-byte sectors.
 */
#ifndef TESTS_DISK_IMAGE_H
#define TESTS_DISK_IMAGE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The image at path, *sectors long, or NULL if it cannot be read whole. */
static inline uint8_t *disk_image_load(const char *path, uint64_t *sectors)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *sectors = (uint64_t)ftell(f) / 512;
    rewind(f);
    uint8_t *disk = malloc(*sectors * 512 + 1);
    if (disk && fread(disk, 512, *sectors, f) != *sectors) {
        free(disk);
        disk = NULL;
    }
    fclose(f);
    return disk;
}

#endif

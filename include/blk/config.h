/*
 * Block config structs (pride/config.h): what the virtio-blk driver and
 * its client learn about their system, filled by `pride build` from the
 * system's <blk> element (docs/tool.md). The client's data region lies in
 * a fixed DMA window, so the driver hands the device its physical
 * addresses directly: no copy between client and disk.
 *
 * With several clients, the block virtualiser is the driver's client: the
 * driver's data region is then the whole window (the virtualiser's scratch
 * buffer, then every client's region), and the virtualiser translates each
 * client's offsets and blocks into it, never touching the data.
 *
 * Channel ids by role: the driver's IRQ, its client, its statistics
 * channel; the virtualiser's driver and clients; a client's end is
 * BLK_CLIENT_CH, apart from the timer's (0), a network client's (1..3) and
 * a serial client's (4..6).
 */
#ifndef BLK_CONFIG_H
#define BLK_CONFIG_H

#include <stdint.h>
#include <pride/config.h>

#define BLK_CONFIG_VERSION 1
#define BLK_DRIVER_MAGIC 0x424c4b44u /* "BLKD" */
#define BLK_CLIENT_MAGIC 0x424c4b4cu /* "BLKL" */
#define BLK_VIRT_MAGIC 0x424c4b56u   /* "BLKV" */

#define BLK_DRIVER_IRQ_CH 0
#define BLK_DRIVER_CLIENT_CH 1
#define BLK_DRIVER_STATS_CH 3
#define BLK_CLIENT_CH 7
#define BLK_VIRT_DRIVER_CH 0
#define BLK_VIRT_FIRST_CLIENT_CH 1
#define BLK_VIRT_STATS_CH 9
/* A statistics reader (stats="..."): it calls the driver at 1 and the
 * virtualiser at 2, and client i asks it to report at 3 + i; the
 * client's end of that is BLK_CLIENT_REPORT_CH. */
#define BLK_READER_DRIVER_CH 1
#define BLK_READER_VIRT_CH 2
#define BLK_READER_FIRST_CLIENT_CH 3
#define BLK_CLIENT_REPORT_CH 9

#define BLK_DRIVER_RINGS_SIZE 0x2000 /* the driver's virtqueue, headers and status bytes */
#define BLK_MAX_DATA_SIZE 0x4000000  /* a client's data region: 64 MiB at most */
#define BLK_MAX_CLIENTS 4            /* of the virtualiser */
#define BLK_SCRATCH_SIZE 0x4000      /* the virtualiser's buffer for partition tables */

struct blk_driver_config {
    struct pride_config_header header;
    uint64_t mmio_vaddr;  /* a page of virtio-mmio slots */
    uint64_t rings_vaddr; /* driver-private DMA memory */
    uint64_t rings_paddr;
    uint64_t data_paddr; /* the client's data region, for the device */
    uint64_t data_size;
    uint64_t requests, responses, info; /* vaddrs: from, to the client; its info page */
};

struct blk_client_config {
    struct pride_config_header header;
    uint64_t data_vaddr;
    /* What requests may name from offset 0: the client's data region and,
     * for a file server, the region its <fs> shares, right after it and
     * mapped through the fs config (fs/config.h). */
    uint64_t data_size;
    uint64_t requests, responses, info; /* vaddrs; info is read-only here */
};

struct blk_virt_client {
    uint64_t requests, responses, info; /* vaddrs here */
    uint64_t data_offset;               /* of its region in the driver's data region */
    uint64_t data_size;
    uint32_t partition; /* index in the disk's table; 0 is the whole of a disk without one */
    uint32_t reserved;
};

struct blk_virt_config {
    struct pride_config_header header;
    uint32_t clients;
    uint32_t reserved;
    uint64_t driver_requests, driver_responses, driver_info; /* vaddrs */
    uint64_t scratch_vaddr;  /* BLK_SCRATCH_SIZE bytes, mapped here only */
    uint64_t scratch_offset; /* of it in the driver's data region */
    struct blk_virt_client client[BLK_MAX_CLIENTS];
};

_Static_assert(sizeof(struct blk_virt_client) == 48, "no implicit padding");
_Static_assert(sizeof(struct blk_virt_config) == 56 + 48 * BLK_MAX_CLIENTS, "no implicit padding");
_Static_assert(sizeof(struct blk_driver_config) == 72, "no implicit padding");
_Static_assert(sizeof(struct blk_client_config) == 48, "no implicit padding");

#endif

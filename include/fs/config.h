/*
 * File-system config structs (pride/config.h), filled by `pride build`
 * from the system's <fs> element (docs/tool.md): the server's and its
 * client's view of the command and completion queues and the shared data
 * region. The server is also a client of a <blk> element (its partition)
 * and of an <rtc> (timestamps), through their own configs.
 *
 * Channels: FS_CH at both ends (after the timer's 0, a network client's
 * 1..3, a serial client's 4..6, a block client's 7, the RTC's 8 and the
 * block statistics report's 9); the server answers a statistics reader
 * (pride/stats.h) on FS_SERVER_STATS_CH.
 */
#ifndef FS_CONFIG_H
#define FS_CONFIG_H

#include <stdint.h>
#include <pride/config.h>

#define FS_CONFIG_VERSION 1
#define FS_SERVER_MAGIC 0x46535653u /* "FSVS" */
#define FS_CLIENT_MAGIC 0x4653434cu /* "FSCL" */
#define FS_CH 10
#define FS_SERVER_STATS_CH 11
#define FS_MAX_DATA_SIZE 0x1000000 /* the shared data region: 16 MiB at most */

#define FS_NOT_IN_BLOCK_DATA UINT64_MAX

struct fs_config {
    struct pride_config_header header;
    uint64_t commands, completions; /* vaddrs of the two queues */
    uint64_t data_vaddr, data_size;
    /* Where the data region lies in the server's block data region (it is
     * placed right after it, in the DMA window, when the server is a <blk>
     * client: the device then moves file data straight to and from it), or
     * FS_NOT_IN_BLOCK_DATA. */
    uint64_t blk_offset;
};

_Static_assert(sizeof(struct fs_config) == 48, "no implicit padding");

#endif

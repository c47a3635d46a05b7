/*
 * The config struct of a statistics reader (pride/config.h), filled by
 * `pride build` from a <stats reader="..."> element (docs/tool.md): how
 * many PDs the element lists, and the reader's channel to the first; the
 * i-th listed PD is at first_channel + i, in the element's order.
 * pride_stats_read_all and pride_stats_report_all (pride/stats.h) ask
 * them all. Plain C11: the tool includes it too.
 *
 * Channels: at the reader, STATS_READER_FIRST_CH on, above every id a
 * subsystem element gives any role, so a reader may also be a network,
 * file-system or timer client; at each listed PD, the channel its role
 * answers statistics on (its class's header).
 */
#ifndef PRIDE_STATS_READER_H
#define PRIDE_STATS_READER_H

#include <stdint.h>
#include <pride/config.h>

#define STATS_READER_CONFIG_VERSION 1
#define STATS_READER_MAGIC 0x53545244u /* "STRD" */
#define STATS_READER_MAX 16            /* PDs one <stats> element lists */
#define STATS_READER_FIRST_CH 46       /* so the last is 61, the last channel id */

struct stats_reader_config {
    struct pride_config_header header;
    uint32_t count;         /* PDs listed, 1..STATS_READER_MAX */
    uint32_t first_channel; /* STATS_READER_FIRST_CH */
};

_Static_assert(sizeof(struct stats_reader_config) == 16, "no implicit padding");

#endif

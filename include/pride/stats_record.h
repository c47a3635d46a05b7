/*
 * The statistics record (pride/stats.h) on its own: its fields, in reply
 * order, and what its "passed" counts. Plain C11 without the Microkit API,
 * so that code which shows records (a status page) also builds on the
 * host for its tests.
 */
#ifndef PRIDE_STATS_RECORD_H
#define PRIDE_STATS_RECORD_H

#include <stdbool.h>
#include <stdint.h>

/* What "passed" counts. */
enum pride_stats_unit {
    PRIDE_STATS_FRAMES,
    PRIDE_STATS_BYTES,
    PRIDE_STATS_TIMEOUTS,
    PRIDE_STATS_REQUESTS,
    PRIDE_STATS_UNITS
};

/* The counters of problems, each printed under its own name. */
#define PRIDE_STATS_PROBLEMS(X)                                                  \
    X(drops)    /* valid, but with nowhere to go (no room, no client for it) */ \
    X(bad_desc) /* a descriptor or request rejected by validation */             \
    X(bad_idx)  /* a neighbour's ring index found impossible */

/* The record, in reply order. */
#define PRIDE_STATS_RECORD(X) \
    X(unit)   /* enum pride_stats_unit, fixed per PD */ \
    X(passed) /* frames, bytes or timeouts passed on */ \
    PRIDE_STATS_PROBLEMS(X)

#define PRIDE_STATS_FIELD(name) uint64_t name;
struct pride_stats {
    PRIDE_STATS_RECORD(PRIDE_STATS_FIELD)
};
#undef PRIDE_STATS_FIELD

/* The PD's name comes after the record (a string of this size at most). */
#define PRIDE_STATS_NAME_WORDS 4 /* the first 32 characters of the PD's name */
#define PRIDE_STATS_NAME_SIZE (8 * PRIDE_STATS_NAME_WORDS + 1)

/* What a PD's name is shown in: letters, digits, '_' and '-' only, so a
 * hostile name can forge nothing on a line or in a page. */
static inline bool pride_stats_name_char_safe(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

/* The unit's name as reports show it; "passed" for one out of range. */
static inline const char *pride_stats_unit_name(uint64_t unit)
{
    static const char *const names[PRIDE_STATS_UNITS] = {"frames", "bytes", "timeouts", "requests"};
    return unit < PRIDE_STATS_UNITS ? names[unit] : "passed";
}

#endif

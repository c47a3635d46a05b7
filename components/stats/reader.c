/*
 * Statistics reader: when notified, on any channel, asks every PD it may
 * call for its statistics (pride/stats.h) and prints one line for each on
 * the debug console. Its priority is below every PD it calls, as a
 * protected call requires.
 *
 * Channels: those with pp="true" at this end lead to the PDs it asks; any
 * other is a PD that may ask it to report (by notifying it).
 */
#include <microkit.h>
#include <pride/stats.h>

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
    for (uint64_t pps = microkit_pps; pps; pps &= pps - 1) {
        char name[PRIDE_STATS_NAME_SIZE];
        pride_stats_report((microkit_channel)__builtin_ctzll(pps), name);
    }
}

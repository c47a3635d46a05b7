/*
 * A statistics reader that is also a file-system and timer client, as a
 * server PD that shows its neighbours' statistics would be. Once its
 * timeout has fired it sends the FAT server a STATFS and a STATFS whose
 * answer would lie outside the data region (which the server must
 * refuse); when both are answered it asks every PD its <stats> element
 * lists, prints their names in order ("reader: asked ...") and each
 * one's line, then "reader: done".
 *
 * Channels: TIMER_CLIENT_CH the timer driver (timer/protocol.h), FS_CH
 * the FAT server (fs/config.h), STATS_READER_FIRST_CH on the PDs it
 * reads (pride/stats_reader.h).
 */
#include <microkit.h>
#include <fs/client.h>
#include <fs/config.h>
#include <pride/stats.h>
#include <timer/client.h>
#include <timer/protocol.h>

#define TIMEOUT_NS 1000000
#define COMMANDS 2

PRIDE_CONFIG(struct stats_reader_config, stats_reader_config, STATS_READER_MAGIC,
             STATS_READER_CONFIG_VERSION);

static unsigned answered;

/* Prints the names of the PDs that answered, in the element's order. */
static void put_name(void *ctx, unsigned index, const char *name, const struct pride_stats *s)
{
    (void)ctx, (void)index;
    microkit_dbg_puts(" ");
    microkit_dbg_puts(s ? name : "(none)");
}

static void read_stats(void)
{
    const struct stats_reader_config *config = pride_config(&stats_reader_config);
    microkit_dbg_puts("reader: asked");
    pride_stats_read_all(config, put_name, NULL);
    microkit_dbg_puts("\n");
    pride_stats_report_all(config);
    microkit_dbg_puts("reader: done\n");
}

static void on_answer(void *ctx, const struct fs_completion *done)
{
    microkit_dbg_puts(ctx);
    microkit_dbg_puts(done->status == FS_OK ? " ok\n" : " refused\n");
    if (++answered == COMMANDS)
        read_stats();
}

static void send_commands(void)
{
    uint64_t size;
    fs_data(&size);
    struct fs_command good = {.op = FS_STATFS}, bad = {.op = FS_STATFS, .data_offset = size};
    if (!fs_submit(&good, on_answer, "reader: statfs") ||
        !fs_submit(&bad, on_answer, "reader: statfs past the data region"))
        microkit_dbg_puts("reader: FAILED: the command queue is full\n");
}

void init(void)
{
    fs_init();
    timer_client_init(TIMER_CLIENT_CH);
    time_set_timeout_ns(TIMEOUT_NS);
}

void notified(microkit_channel ch)
{
    if (ch == TIMER_CLIENT_CH)
        send_commands();
    else
        fs_notified(ch);
}

/*
 * Greets, echoes each typed character, and repeats each finished line. The
 * line "pride-stats?" also asks the statistics PD, if the system has one,
 * to print every serial PD's statistics (pride/stats.h).
 *
 * Channels (serial/config.h): 4 the TX virtualiser, 5 the RX virtualiser, 6 (optional) the
 * statistics PD.
 */
#include <microkit.h>
#include <serial/client.h>

#define STATS SERIAL_CLIENT_STATS_CH
#define STATS_QUERY "pride-stats?"

static char line[128];
static unsigned length;

void init(void)
{
    serial_client_init();
    serial_printf("[%s] ready: type a line (Ctrl-] 1 or 2 switches client)\n", microkit_name);
}

static bool is_stats_query(const char *s)
{
    const char *query = STATS_QUERY;
    while (*s && *s == *query)
        s++, query++;
    return *s == *query;
}

static void line_done(void)
{
    line[length] = '\0';
    serial_printf("\n[%s] you typed: %s\n", microkit_name, line);
    if (is_stats_query(line) && (microkit_notifications & (1ull << STATS)))
        microkit_notify(STATS);
    length = 0;
}

static void typed(int c)
{
    if (c == '\r' || c == '\n') {
        line_done();
    } else if (length < sizeof(line) - 1) {
        line[length++] = (char)c;
        serial_putchar(c);
    }
}

void notified(microkit_channel ch)
{
    if (ch != SERIAL_CLIENT_RX_CH)
        return;
    for (int c; (c = serial_getchar()) >= 0;)
        typed(c);
}

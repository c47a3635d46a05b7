/* Prints LINES numbered lines with a checkable payload, never dropping any:
 * it writes only when the queue has room, and resumes when notified. Then
 * it asks the statistics PD to report.
 *
 * Channels (serial/config.h): 4 the TX virtualiser, 5 the RX virtualiser, 6 the statistics PD. */
#include <microkit.h>
#include <serial/client.h>

#define STATS SERIAL_CLIENT_STATS_CH
#define LINES 200
#define PAYLOAD 40
#define LINE_BYTES 64 /* room asked for before each line */

static unsigned next_line;

static void write_lines(void)
{
    while (next_line < LINES && serial_write_space(LINE_BYTES) >= LINE_BYTES) {
        char payload[PAYLOAD + 1];
        for (unsigned i = 0; i < PAYLOAD; i++)
            payload[i] = (char)('a' + (next_line * 7 + i * 3) % 26);
        payload[PAYLOAD] = '\0';
        serial_printf("good %04u %s\n", next_line, payload);
        next_line++;
    }
    if (next_line == LINES && serial_write_space(LINE_BYTES) >= LINE_BYTES) {
        serial_printf("good: done, %lu bytes dropped\n", serial_dropped());
        microkit_notify(STATS);
        next_line++;
    }
}

void init(void)
{
    serial_client_init();
    write_lines();
}

void notified(microkit_channel ch)
{
    if (ch == SERIAL_CLIENT_TX_CH)
        write_lines();
}

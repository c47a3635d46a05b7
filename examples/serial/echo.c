/* Greets, echoes each typed character, and repeats each finished line. */
#include <microkit.h>
#include <serial/client.h>

#define SERIAL_TX 0
#define SERIAL_RX 1

static char line[128];
static unsigned length;

void init(void)
{
    serial_client_init(SERIAL_TX, SERIAL_RX);
    serial_printf("[%s] ready: type a line (Ctrl-] 1 or 2 switches client)\n", microkit_name);
}

static void typed(int c)
{
    if (c == '\r' || c == '\n') {
        line[length] = '\0';
        serial_printf("\n[%s] you typed: %s\n", microkit_name, line);
        length = 0;
    } else if (length < sizeof(line) - 1) {
        line[length++] = (char)c;
        serial_putchar(c);
    }
}

void notified(microkit_channel ch)
{
    if (ch != SERIAL_RX)
        return;
    for (int c; (c = serial_getchar()) >= 0;)
        typed(c);
}

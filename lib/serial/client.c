/* Serial client library (include/serial/client.h). */
#include <pride/format.h>
#include <serial/client.h>
#include <serial/config.h>
#include <serial/queue.h>

#define PRINTF_BUFFER 256

PRIDE_CONFIG(struct serial_client_config, serial_client_config, SERIAL_CLIENT_MAGIC,
             SERIAL_CONFIG_VERSION);

static struct ring_producer tx;
static struct ring_consumer rx;
static uint64_t dropped;

void serial_client_init(void)
{
    const struct serial_client_config *c = pride_config(&serial_client_config);
    ring_producer_attach(&tx, serial_client_tx_queue(), SERIAL_QUEUE_CAPACITY);
    ring_consumer_attach(&rx, (struct ring_shared *)(uintptr_t)c->rx_queue, SERIAL_QUEUE_CAPACITY);
    ring_consumer_request_signal(&rx); /* input arrives as notifications on SERIAL_CLIENT_RX_CH */
}

struct ring_shared *serial_client_tx_queue(void)
{
    const struct serial_client_config *c = pride_config(&serial_client_config);
    return (struct ring_shared *)(uintptr_t)c->tx_queue;
}

size_t serial_write(const char *bytes, size_t len)
{
    int64_t n = serial_queue_write(&tx, bytes, (uint32_t)len);
    if (n < 0)
        n = 0;
    dropped += len - (size_t)n;
    if (ring_producer_must_signal(&tx))
        microkit_notify(SERIAL_CLIENT_TX_CH);
    return (size_t)n;
}

size_t serial_write_space(size_t wanted)
{
    int64_t space = ring_producer_space(&tx);
    if (space >= 0 && (size_t)space >= wanted)
        return (size_t)space;
    ring_producer_request_signal(&tx);
    space = ring_producer_space(&tx);
    return space < 0 ? 0 : (size_t)space;
}

int serial_putchar(int c)
{
    char byte = (char)c;
    return serial_write(&byte, 1) ? c : -1;
}

int serial_puts(const char *s)
{
    size_t len = 0;
    while (s[len])
        len++;
    size_t n = serial_write(s, len);
    return n == len && serial_putchar('\n') == '\n' ? 0 : -1;
}

struct line {
    char bytes[PRINTF_BUFFER];
    size_t len;
};

static void put_line(char c, void *arg)
{
    struct line *line = arg;
    if (line->len == sizeof(line->bytes)) {
        serial_write(line->bytes, line->len);
        line->len = 0;
    }
    line->bytes[line->len++] = c;
}

/* Formats into a buffer and queues it with one write, so a short line
 * reaches the virtualiser whole. */
int serial_printf(const char *fmt, ...)
{
    struct line line;
    line.len = 0;
    va_list args;
    va_start(args, fmt);
    format_v(put_line, &line, fmt, args);
    va_end(args);
    return (int)serial_write(line.bytes, line.len);
}

int serial_getchar(void)
{
    char c;
    if (serial_queue_read(&rx, &c, 1) == 1)
        return (unsigned char)c;
    ring_consumer_request_signal(&rx);
    return serial_queue_read(&rx, &c, 1) == 1 ? (unsigned char)c : -1;
}

uint64_t serial_dropped(void)
{
    return dropped;
}

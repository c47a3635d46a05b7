/*
 * Serial TX virtualiser: multiplexes the output of up to 8 clients onto the
 * driver's TX queue a whole line at a time, so lines never interleave.
 * Clients take turns one line each, so a flooding client cannot starve the
 * others. A line still unfinished when others have output waiting (a client
 * echoing keystrokes, or a hostile one), or longer than MAX_LINE bytes, is
 * broken there: a client can delay the others by at most one line. A client whose queue indices are
 * impossible is skipped; that is counted and reported.
 *
 * Channels: 0 the driver; 1..N the clients, whose queue regions are mapped
 * contiguously from client_queue_regions.
 */
#include <microkit.h>
#include <pride/format.h>
#include <serial/queue.h>

#define DRIVER_CHANNEL 0
#define FIRST_CLIENT_CHANNEL 1
#define MAX_CLIENTS 8
#define MAX_LINE 256

uint64_t driver_queue_region;
uint64_t client_queue_regions;

struct client {
    struct ring_consumer queue;
    uint32_t line_len; /* bytes of its current line already passed on */
    uint64_t corrupt;  /* times its indices were found impossible */
};

enum copy_result { LINE_DONE, CLIENT_EMPTY, DRIVER_FULL };

static struct client clients[MAX_CLIENTS];
static unsigned num_clients;
static struct ring_producer driver;
static int line_owner = -1; /* client in the middle of a line */
static unsigned next_client; /* round-robin start */

static void driver_put(char c, void *arg)
{
    (void)arg;
    serial_queue_write(&driver, &c, 1);
}

static void driver_printf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(driver_put, 0, fmt, args);
    va_end(args);
}

static bool is_power_of_ten(uint64_t n)
{
    while (n >= 10 && n % 10 == 0)
        n /= 10;
    return n == 1;
}

static void report_corrupt(unsigned i)
{
    struct client *c = &clients[i];
    if (is_power_of_ten(++c->corrupt))
        driver_printf("\nvirt_tx: client %u: corrupt queue indices seen %lu times, output dropped\n",
                      i, c->corrupt);
    c->line_len = 0;
}

static void break_line(unsigned i)
{
    driver_put('\n', 0);
    clients[i].line_len = 0;
}

/* Move client i's bytes to the driver up to the end of its current line. */
static enum copy_result copy_line(unsigned i)
{
    struct client *c = &clients[i];
    int64_t available = ring_consumer_available(&c->queue);
    if (available < 0) {
        report_corrupt(i);
        return LINE_DONE;
    }
    int64_t space = ring_producer_space(&driver);
    if (space <= 0)
        return DRIVER_FULL;
    const char *src = serial_queue_data(c->queue.shared);
    char *dst = serial_queue_data(driver.shared);
    uint32_t n = 0;
    bool ended = false;
    while (n < available && n < space && !ended) {
        char ch = src[(c->queue.head + n) & (c->queue.capacity - 1)];
        dst[(driver.tail + n) & (driver.capacity - 1)] = ch;
        n++;
        ended = ch == '\n' || ++c->line_len == MAX_LINE;
    }
    ring_consumer_release(&c->queue, n);
    ring_producer_publish(&driver, n);
    if (ring_consumer_must_signal(&c->queue))
        microkit_notify(FIRST_CLIENT_CHANNEL + i);
    if (ended) {
        if (c->line_len == MAX_LINE)
            break_line(i);
        c->line_len = 0;
        return LINE_DONE;
    }
    return n == available ? CLIENT_EMPTY : DRIVER_FULL;
}

static bool others_waiting(unsigned owner)
{
    for (unsigned i = 0; i < num_clients; i++)
        if (i != owner && ring_consumer_available(&clients[i].queue) != 0)
            return true;
    return false;
}

/* One round: each client (or only the line owner) passes on at most one
 * line. Returns whether anything moved. */
static bool round_robin(void)
{
    bool progress = false;
    for (unsigned k = 0; k < num_clients; k++) {
        unsigned i = line_owner >= 0 ? (unsigned)line_owner : (next_client + k) % num_clients;
        uint32_t before = clients[i].queue.head;
        enum copy_result result = copy_line(i);
        progress |= clients[i].queue.head != before;
        if (result == DRIVER_FULL) {
            line_owner = (int)i;
            return false;
        }
        line_owner = -1;
        if (result == CLIENT_EMPTY && clients[i].line_len) {
            if (!others_waiting(i)) {
                line_owner = (int)i; /* the rest of its line may follow */
                return progress;
            }
            break_line(i);
        }
        next_client = i + 1;
    }
    return progress;
}

static void drain(void)
{
    for (;;) {
        while (round_robin())
            ;
        if (ring_producer_must_signal(&driver))
            microkit_notify(DRIVER_CHANNEL);
        if (ring_producer_space(&driver) == 0) {
            ring_producer_request_signal(&driver);
            if (ring_producer_space(&driver) == 0)
                return; /* the driver will say when there is room */
        }
        bool more = false;
        for (unsigned i = 0; i < num_clients; i++) {
            ring_consumer_request_signal(&clients[i].queue);
            more |= ring_consumer_available(&clients[i].queue) > 0;
        }
        if (!more)
            return;
    }
}

void init(void)
{
    ring_producer_attach(&driver, (struct ring_shared *)driver_queue_region, SERIAL_QUEUE_CAPACITY);
    num_clients = serial_count_clients(microkit_notifications, FIRST_CLIENT_CHANNEL, MAX_CLIENTS);
    for (unsigned i = 0; i < num_clients; i++)
        ring_consumer_attach(&clients[i].queue, serial_client_queue(client_queue_regions, i),
                             SERIAL_QUEUE_CAPACITY);
    drain();
}

void notified(microkit_channel ch)
{
    (void)ch; /* a client wrote, or the driver made room: either way, drain */
    drain();
}

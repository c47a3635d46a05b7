/*
 * Serial TX virtualiser: multiplexes the output of up to 8 clients onto the
 * driver's TX queue a whole line at a time, so lines never interleave.
 * Clients take turns one line each, so a flooding client cannot starve the
 * others. A line still unfinished when others have output waiting (a client
 * echoing keystrokes, or a hostile one), or longer than MAX_LINE bytes, is
 * broken there: a client can delay the others by at most one line. A
 * client whose queue indices are impossible is skipped, and that is
 * counted.
 *
 * Channels: 0 the driver; 1..N the clients (serial/config.h, which also
 * gives the queues); any other channel, a PD that
 * asks for its statistics (pride/stats.h: bytes passed on).
 */
#include <microkit.h>
#include <pride/stats.h>
#include <serial/config.h>
#include <serial/queue.h>

#define DRIVER_CHANNEL SERIAL_VIRT_DRIVER_CH
#define FIRST_CLIENT_CHANNEL SERIAL_VIRT_FIRST_CLIENT_CH
#define MAX_CLIENTS SERIAL_MAX_CLIENTS
#define MAX_LINE 256

PRIDE_CONFIG(struct serial_virt_config, serial_virt_tx_config, SERIAL_VIRT_TX_MAGIC, SERIAL_CONFIG_VERSION);

struct client {
    struct ring_consumer queue;
    uint32_t line_len; /* bytes of its current line already passed on */
};

enum copy_result { LINE_DONE, CLIENT_EMPTY, DRIVER_FULL };

static struct client clients[MAX_CLIENTS];
static unsigned num_clients;
static struct ring_producer driver;
static int line_owner = -1; /* client in the middle of a line */
static unsigned next_client; /* round-robin start */
static struct pride_stats stats = {.unit = PRIDE_STATS_BYTES};

static void break_line(unsigned i)
{
    serial_queue_write(&driver, "\n", 1);
    clients[i].line_len = 0;
}

/* Copies up to max bytes from client c's queue to the driver's, up to and
 * including the end of c's current line (*ended then); returns how many.
 * Moves neither index. Works on local copies, which the compiler would
 * otherwise reload for every byte (c->line_len may alias the indices). */
static uint32_t copy_bytes(struct client *c, uint32_t max, bool *ended)
{
    const char *src = serial_queue_data(c->queue.shared);
    char *dst = serial_queue_data(driver.shared);
    const uint32_t from = c->queue.head, src_mask = c->queue.capacity - 1;
    const uint32_t to = driver.tail, dst_mask = driver.capacity - 1;
    uint32_t n = 0, line_len = c->line_len;
    bool end = false;
    while (n < max && !end) {
        char ch = src[(from + n) & src_mask];
        dst[(to + n) & dst_mask] = ch;
        n++;
        end = ch == '\n' || ++line_len == MAX_LINE;
    }
    c->line_len = line_len;
    *ended = end;
    return n;
}

/* Move client i's bytes to the driver up to the end of its current line. */
static enum copy_result copy_line(unsigned i)
{
    struct client *c = &clients[i];
    int64_t available = ring_consumer_available(&c->queue);
    if (available < 0) {
        stats.bad_idx++;
        c->line_len = 0;
        return LINE_DONE;
    }
    int64_t space = ring_producer_space(&driver);
    if (space <= 0) {
        if (space < 0) /* the driver's index: nothing moves until it is right */
            stats.bad_idx++;
        return DRIVER_FULL;
    }
    bool ended;
    uint32_t n = copy_bytes(c, (uint32_t)(available < space ? available : space), &ended);
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
    const struct serial_virt_config *c = pride_config(&serial_virt_tx_config);
    ring_producer_attach(&driver, (struct ring_shared *)(uintptr_t)c->driver_queue, SERIAL_QUEUE_CAPACITY);
    num_clients = c->clients <= MAX_CLIENTS ? c->clients : 0;
    for (unsigned i = 0; i < num_clients; i++)
        ring_consumer_attach(&clients[i].queue, (struct ring_shared *)(uintptr_t)c->client_queue[i],
                       SERIAL_QUEUE_CAPACITY);
    drain();
}

void notified(microkit_channel ch)
{
    (void)ch; /* a client wrote, or the driver made room: either way, drain */
    drain();
}

/* Every byte taken from a client was passed on: its queue's head counts them. */
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = 0;
    for (unsigned i = 0; i < num_clients; i++)
        stats.passed += clients[i].queue.head;
    return pride_stats_answer(msginfo, &stats);
}

/*
 * The <serial> subsystem element (docs/tool.md): the PL011 driver, the TX
 * and RX virtualisers, the clients and, if named, a statistics reader that
 * clients may ask to report. Checks the element, then lowers it: the
 * UART's registers, one queue region per direction of each link, the
 * channels and the IRQ, and the config structs (serial/config.h).
 */
#include <string.h>

#include "tool.h"
#include "serial/config.h"
#include "serial/queue.h"

struct serial {
    struct xml_node *driver, *virt_tx, *virt_rx, *stats;
    struct xml_node *client[SERIAL_MAX_CLIENTS];
    int client_line[SERIAL_MAX_CLIENTS];
    unsigned nclients;
};

static void parse_serial(struct lowering *L, struct serial *s, const struct xml_node *n)
{
    static const char *const attrs[] = {"driver", "virt_tx", "virt_rx", "stats", NULL};
    static const char *const client_attrs[] = {"pd", NULL};
    check_attrs(n, attrs);
    s->driver = lower_pd(L, n, "driver", true);
    s->virt_tx = lower_pd(L, n, "virt_tx", true);
    s->virt_rx = lower_pd(L, n, "virt_rx", true);
    s->stats = lower_pd(L, n, "stats", false);
    for (const struct xml_node *c = n->children; c; c = c->next) {
        lower_check_client(L, c, client_attrs, s->nclients, SERIAL_MAX_CLIENTS);
        s->client_line[s->nclients] = c->line;
        s->client[s->nclients++] = lower_pd(L, c, "pd", true);
    }
    if (!s->nclients)
        fail_at(n->line, "<serial> has no <client>");
}

static void check_serial(const struct lowering *L, const struct serial *s)
{
    const struct xml_node *pds[4 + SERIAL_MAX_CLIENTS] = {s->driver, s->virt_tx, s->virt_rx,
                                                          s->stats};
    memcpy(pds + 4, s->client, s->nclients * sizeof(s->client[0]));
    lower_check_roles(L, pds, 4 + s->nclients);
    lower_check_above(L, lower_line(L), s->driver, "driver", s->virt_tx, "TX virtualiser");
    lower_check_above(L, lower_line(L), s->driver, "driver", s->virt_rx, "RX virtualiser");
    for (unsigned i = 0; i < s->nclients; i++) {
        lower_check_above(L, s->client_line[i], s->virt_tx, "TX virtualiser", s->client[i],
                          "client");
        lower_check_above(L, s->client_line[i], s->virt_rx, "RX virtualiser", s->client[i],
                          "client");
    }
}

/* A queue region between two PDs: its address in each. */
static void queue(struct lowering *L, const char *name, struct xml_node *a, uint64_t *va_a,
                  struct xml_node *b, uint64_t *va_b)
{
    lower_region(L, name, SERIAL_QUEUE_REGION_SIZE, 0);
    *va_a = lower_map(L, a, name, SERIAL_QUEUE_REGION_SIZE, "rw", true);
    *va_b = lower_map(L, b, name, SERIAL_QUEUE_REGION_SIZE, "rw", true);
}

static void lower_clients(struct lowering *L, const struct serial *s,
                          struct serial_virt_config *tx, struct serial_virt_config *rx)
{
    for (unsigned i = 0; i < s->nclients; i++) {
        struct serial_client_config cc = {.header = {SERIAL_CLIENT_MAGIC, SERIAL_CONFIG_VERSION}};
        queue(L, lower_name(L, s->client[i], "tx"), s->virt_tx, &tx->client_queue[i],
              s->client[i], &cc.tx_queue);
        queue(L, lower_name(L, s->client[i], "rx"), s->virt_rx, &rx->client_queue[i],
              s->client[i], &cc.rx_queue);
        lower_channel(L, s->virt_tx, SERIAL_VIRT_FIRST_CLIENT_CH + i, false, s->client[i],
                      SERIAL_CLIENT_TX_CH);
        lower_channel(L, s->virt_rx, SERIAL_VIRT_FIRST_CLIENT_CH + i, false, s->client[i],
                      SERIAL_CLIENT_RX_CH);
        if (s->stats)
            lower_channel(L, s->client[i], SERIAL_CLIENT_STATS_CH, false, s->stats,
                          SERIAL_READER_FIRST_CLIENT_CH + i);
        lower_config(L, s->client[i], "serial_client_config", &cc, sizeof(cc));
    }
}

void lower_serial(struct lowering *L, const struct xml_node *n)
{
    static struct serial s;
    s = (struct serial){0};
    parse_serial(L, &s, n);
    check_serial(L, &s);
    struct serial_driver_config d = {.header = {SERIAL_DRIVER_MAGIC, SERIAL_CONFIG_VERSION}};
    struct serial_virt_config tx = {.header = {SERIAL_VIRT_TX_MAGIC, SERIAL_CONFIG_VERSION}};
    struct serial_virt_config rx = {.header = {SERIAL_VIRT_RX_MAGIC, SERIAL_CONFIG_VERSION}};
    tx.clients = rx.clients = s.nclients;
    lower_region(L, "serial_uart", PAGE_SIZE_SMALL, PLAT_PL011_BASE);
    d.uart = lower_map(L, s.driver, "serial_uart", PAGE_SIZE_SMALL, "rw", false);
    lower_irq(L, s.driver, PLAT_PL011_INTID, SERIAL_DRIVER_IRQ_CH);
    queue(L, "serial_driver_tx", s.driver, &d.tx_queue, s.virt_tx, &tx.driver_queue);
    queue(L, "serial_driver_rx", s.driver, &d.rx_queue, s.virt_rx, &rx.driver_queue);
    lower_channel(L, s.driver, SERIAL_DRIVER_TX_CH, false, s.virt_tx, SERIAL_VIRT_DRIVER_CH);
    lower_channel(L, s.driver, SERIAL_DRIVER_RX_CH, false, s.virt_rx, SERIAL_VIRT_DRIVER_CH);
    lower_clients(L, &s, &tx, &rx);
    if (s.stats) {
        lower_channel(L, s.stats, SERIAL_READER_DRIVER_CH, true, s.driver, SERIAL_DRIVER_STATS_CH);
        lower_channel(L, s.stats, SERIAL_READER_VIRT_TX_CH, true, s.virt_tx, SERIAL_STATS_CH);
        lower_channel(L, s.stats, SERIAL_READER_VIRT_RX_CH, true, s.virt_rx, SERIAL_STATS_CH);
    }
    lower_config(L, s.driver, "serial_driver_config", &d, sizeof(d));
    lower_config(L, s.virt_tx, "serial_virt_tx_config", &tx, sizeof(tx));
    lower_config(L, s.virt_rx, "serial_virt_rx_config", &rx, sizeof(rx));
    lower_note_stats(L, s.driver, SERIAL_DRIVER_STATS_CH);
    lower_note_stats(L, s.virt_tx, SERIAL_STATS_CH);
    lower_note_stats(L, s.virt_rx, SERIAL_STATS_CH);
}

/*
 * The <net> subsystem element (docs/tool.md): the virtio-net driver, the
 * RX and TX virtualisers, one copier per client, the clients and, if
 * named, the buffer accounting PD; or, without virtualisers, the driver
 * and a single client working in DMA addresses. Checks the element, then
 * lowers it: every region, map, channel and IRQ the components need, and
 * their config structs (net/config.h).
 *
 * All DMA memory lies in one fixed window from the 'dma' address: the
 * driver's rings first, then the shared RX buffers, then each client's
 * transmit buffers; the driver checks every buffer address against it.
 */
#include <string.h>

#include "tool.h"
#include "net/config.h"
#include "net/holdings.h"

#define DEFAULT_BUFFERS 128

struct net_client {
    struct xml_node *pd, *copier;
    uint8_t mac[6], ip[4];
    int line;
    uint64_t tx_paddr; /* of its transmit buffers */
};

struct net {
    struct xml_node *driver, *virt_rx, *virt_tx, *accounting;
    uint64_t device, dma;
    unsigned irq, rx_buffers, client_buffers, nclients;
    struct net_client client[NET_MAX_CLIENTS];
};

static uint64_t pages(uint64_t bytes)
{
    return (bytes + PAGE_SIZE_SMALL - 1) & ~(uint64_t)(PAGE_SIZE_SMALL - 1);
}


/* ---- attributes ---- */

static void parse_mac(const struct xml_attr *a, uint8_t mac[6])
{
    unsigned v[6];
    char end;
    if (sscanf(a->value, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
               &end) != 6 || strlen(a->value) != 17)
        fail_at(a->line, "attribute 'mac' is '%s', not six hex bytes like 52:54:00:00:00:10",
                a->value);
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)v[i];
    if (mac[0] & 1)
        fail_at(a->line, "mac %s is a group (multicast) address: a client needs a unicast one",
                a->value);
}

/* "dhcp" is 0.0.0.0 in the config. */
static void parse_ip(const struct xml_attr *a, uint8_t ip[4])
{
    unsigned v[4];
    char end;
    if (!strcmp(a->value, "dhcp")) {
        memset(ip, 0, 4);
        return;
    }
    if (sscanf(a->value, "%3u.%3u.%3u.%3u%c", &v[0], &v[1], &v[2], &v[3], &end) != 4 ||
        v[0] > 255 || v[1] > 255 || v[2] > 255 || v[3] > 255 || !(v[0] | v[1] | v[2] | v[3]))
        fail_at(a->line, "attribute 'ip' is '%s', neither \"dhcp\" nor an IPv4 address",
                a->value);
    for (int i = 0; i < 4; i++)
        ip[i] = (uint8_t)v[i];
}

static void parse_client(struct lowering *L, struct net *net, const struct xml_node *c)
{
    static const char *const attrs[] = {"pd", "copier", "mac", "ip", NULL};
    lower_check_client(L, c, attrs, net->nclients, NET_MAX_CLIENTS);
    struct net_client *nc = &net->client[net->nclients++];
    nc->line = c->line;
    nc->pd = lower_pd(L, c, "pd", true);
    nc->copier = lower_pd(L, c, "copier", net->virt_rx != NULL);
    if (nc->copier && !net->virt_rx)
        fail_at(attr_line(c, "copier"), "a client has a copier only behind virtualisers");
    parse_mac(required(c, "mac"), nc->mac);
    parse_ip(required(c, "ip"), nc->ip);
}

static void parse_net(struct lowering *L, struct net *net, const struct xml_node *n)
{
    static const char *const attrs[] = {"driver", "virt_rx", "virt_tx", "accounting", "device",
                                        "irq", "dma", "rx_buffers", "client_buffers", NULL};
    check_attrs(n, attrs);
    net->driver = lower_pd(L, n, "driver", true);
    net->virt_rx = lower_pd(L, n, "virt_rx", false);
    net->virt_tx = lower_pd(L, n, "virt_tx", net->virt_rx != NULL);
    if (net->virt_tx && !net->virt_rx)
        fail_at(attr_line(n, "virt_tx"), "<net> has a TX virtualiser but no RX virtualiser");
    net->accounting = lower_pd(L, n, "accounting", false);
    if (net->accounting && !net->virt_rx)
        fail_at(attr_line(n, "accounting"), "buffer accounting needs the virtualisers");
    lower_virtio_device(n, &net->device, &net->irq);
    net->dma = lower_dma_window(n);
    net->rx_buffers = (unsigned)num_attr(n, "rx_buffers", DEFAULT_BUFFERS, 1, NET_POOL_MAX_BUFFERS);
    net->client_buffers =
        (unsigned)num_attr(n, "client_buffers", DEFAULT_BUFFERS, 1, NET_POOL_MAX_BUFFERS);
    for (const struct xml_node *c = n->children; c; c = c->next)
        parse_client(L, net, c);
}

/* ---- checks across the element ---- */

static void check_roles(const struct lowering *L, const struct net *net)
{
    const struct xml_node *pds[4 + 2 * NET_MAX_CLIENTS] = {net->driver, net->virt_rx, net->virt_tx,
                                                           net->accounting};
    size_t n = 4;
    for (unsigned i = 0; i < net->nclients; i++) {
        pds[n++] = net->client[i].pd;
        pds[n++] = net->client[i].copier;
    }
    lower_check_roles(L, pds, n);
}

static void check_clients(const struct lowering *L, const struct net *net)
{
    if (!net->nclients)
        fail_at(lower_line(L), "<net> has no <client>");
    if (!net->virt_rx && net->nclients > 1)
        fail_at(net->client[1].line, "without virtualisers <net> has one client, not more");
    for (unsigned i = 0; i < net->nclients; i++)
        for (unsigned j = 0; j < i; j++)
            if (!memcmp(net->client[i].mac, net->client[j].mac, 6))
                fail_at(net->client[i].line, "clients '%s' and '%s' have the same mac",
                        lower_pd_name(net->client[j].pd), lower_pd_name(net->client[i].pd));
    for (unsigned i = 0; i < net->nclients; i++)
        if (strlen(lower_pd_name(net->client[i].pd)) >= NET_NAME_SIZE)
            fail_at(net->client[i].line, "client name '%s' is longer than %d characters",
                    lower_pd_name(net->client[i].pd), NET_NAME_SIZE - 1);
}

static void check_priorities(const struct lowering *L, const struct net *net)
{
    if (!net->virt_rx) {
        lower_check_above(L, lower_line(L), net->driver, "driver", net->client[0].pd, "client");
        return;
    }
    lower_check_above(L, lower_line(L), net->driver, "driver", net->virt_rx, "RX virtualiser");
    lower_check_above(L, lower_line(L), net->driver, "driver", net->virt_tx, "TX virtualiser");
    for (unsigned i = 0; i < net->nclients; i++) {
        const struct net_client *c = &net->client[i];
        lower_check_above(L, c->line, net->virt_rx, "RX virtualiser", c->copier, "copier");
        lower_check_above(L, c->line, c->copier, "copier", c->pd, "client");
        lower_check_above(L, c->line, net->virt_tx, "TX virtualiser", c->pd, "client");
    }
}

/* ---- lowering ---- */

/* A queue region shared by two PDs: its address in each. */
static void queue(struct lowering *L, const char *name, struct xml_node *a, uint64_t *va_a,
                  struct xml_node *b, uint64_t *va_b)
{
    lower_region(L, name, NET_QUEUE_REGION_SIZE, 0);
    *va_a = lower_map(L, a, name, NET_QUEUE_REGION_SIZE, "rw", true);
    *va_b = lower_map(L, b, name, NET_QUEUE_REGION_SIZE, "rw", true);
}

static struct net_pool_config pool(uint64_t vaddr, uint64_t base, unsigned buffers)
{
    return (struct net_pool_config){vaddr, base, buffers, 0};
}

/* The DMA window: rings, shared RX buffers, each client's TX buffers. */
static uint64_t place_dma(struct lowering *L, struct net *net)
{
    uint64_t next = net->dma + NET_DRIVER_RINGS_SIZE + pages((uint64_t)net->rx_buffers * NET_BUFFER_SIZE);
    for (unsigned i = 0; i < net->nclients; i++) {
        net->client[i].tx_paddr = next;
        next += pages((uint64_t)net->client_buffers * NET_BUFFER_SIZE);
    }
    uint64_t size = next - (net->dma + NET_DRIVER_RINGS_SIZE);
    if (size > NET_DMA_WINDOW_SIZE)
        fail_at(lower_line(L), "<net> needs %#llx bytes of DMA buffers, more than the driver's "
                "window of %#x: fewer buffers or clients", (unsigned long long)size,
                NET_DMA_WINDOW_SIZE);
    if (next > RAM_END)
        fail_at(lower_line(L), "<net>'s DMA window ends past RAM");
    return size;
}

static void lower_driver(struct lowering *L, const struct net *net, uint64_t dma_size,
                         struct net_driver_config *d)
{
    *d = (struct net_driver_config){.header = {NET_DRIVER_MAGIC, NET_CONFIG_VERSION}};
    lower_region(L, "net_rings", NET_DRIVER_RINGS_SIZE, net->dma);
    lower_region(L, "net_rx_dma", pages((uint64_t)net->rx_buffers * NET_BUFFER_SIZE),
                 net->dma + NET_DRIVER_RINGS_SIZE);
    d->mmio_vaddr = lower_map(L, net->driver, lower_virtio_region(L, net->device), PAGE_SIZE_SMALL,
                              "rw", false);
    d->rings_vaddr = lower_map(L, net->driver, "net_rings", NET_DRIVER_RINGS_SIZE, "rw", true);
    d->rings_paddr = net->dma;
    d->dma_base = net->dma + NET_DRIVER_RINGS_SIZE;
    d->dma_size = dma_size;
    lower_irq(L, net->driver, net->irq, NET_DRIVER_IRQ_CH);
}

/* The driver's four queues, with the virtualisers or the single client. */
static void lower_driver_queues(struct lowering *L, const struct net *net,
                                struct net_driver_config *d, uint64_t q[4])
{
    struct xml_node *rx = net->virt_rx ? net->virt_rx : net->client[0].pd;
    struct xml_node *tx = net->virt_tx ? net->virt_tx : net->client[0].pd;
    queue(L, "net_rx_free", net->driver, &d->rx_free, rx, &q[0]);
    queue(L, "net_rx_active", net->driver, &d->rx_active, rx, &q[1]);
    queue(L, "net_tx_active", net->driver, &d->tx_active, tx, &q[2]);
    queue(L, "net_tx_free", net->driver, &d->tx_free, tx, &q[3]);
    lower_channel(L, net->driver, NET_DRIVER_RX_CH, false, rx,
                  net->virt_rx ? NET_VIRT_DRIVER_CH : NET_CLIENT_RX_CH);
    lower_channel(L, net->driver, NET_DRIVER_TX_CH, false, tx,
                  net->virt_tx ? NET_VIRT_DRIVER_CH : NET_CLIENT_TX_CH);
}

static void lower_direct_client(struct lowering *L, const struct net *net, const uint64_t q[4])
{
    const struct net_client *c = &net->client[0];
    uint64_t rx_size = pages((uint64_t)net->rx_buffers * NET_BUFFER_SIZE);
    uint64_t tx_size = pages((uint64_t)net->client_buffers * NET_BUFFER_SIZE);
    lower_region(L, lower_name(L, c->pd, "tx_buffers"), tx_size, c->tx_paddr);
    struct net_client_config cc = {.header = {NET_CLIENT_MAGIC, NET_CONFIG_VERSION}};
    memcpy(cc.mac, c->mac, 6);
    memcpy(cc.ip, c->ip, 4);
    cc.rx = pool(lower_map(L, c->pd, "net_rx_dma", rx_size, "rw", true), net->dma + NET_DRIVER_RINGS_SIZE,
                 net->rx_buffers);
    cc.tx = pool(lower_map(L, c->pd, lower_name(L, c->pd, "tx_buffers"), tx_size, "rw", true),
                 c->tx_paddr, net->client_buffers);
    cc.rx_free = q[0], cc.rx_active = q[1], cc.tx_active = q[2], cc.tx_free = q[3];
    lower_config(L, c->pd, "net_client_config", &cc, sizeof(cc));
}

/* A client's receive region (its copier fills it) and its transmit
 * region in the DMA window; descriptors name both by offset. */
static void lower_copied_buffers(struct lowering *L, const struct net *net,
                                 const struct net_client *c, struct net_copier_config *cp,
                                 struct net_client_config *cc)
{
    const char *rx = lower_name(L, c->pd, "rx_buffers"), *tx = lower_name(L, c->pd, "tx_buffers");
    uint64_t rx_size = pages((uint64_t)net->rx_buffers * NET_BUFFER_SIZE);
    uint64_t own_size = pages((uint64_t)net->client_buffers * NET_BUFFER_SIZE);
    lower_region(L, rx, own_size, 0);
    lower_region(L, tx, own_size, c->tx_paddr);
    cp->rx = pool(lower_map(L, c->copier, "net_rx_dma", rx_size, "r", true),
                  net->dma + NET_DRIVER_RINGS_SIZE, net->rx_buffers);
    cp->client = pool(lower_map(L, c->copier, rx, own_size, "rw", true), 0, net->client_buffers);
    cc->rx = pool(lower_map(L, c->pd, rx, own_size, "rw", true), 0, net->client_buffers);
    cc->tx = pool(lower_map(L, c->pd, tx, own_size, "rw", true), 0, net->client_buffers);
}

/* Its six queues: virtualiser and copier, copier and client, TX
 * virtualiser and client. */
static void lower_copied_queues(struct lowering *L, const struct net *net,
                                const struct net_client *c, struct net_virt_rx_client *r,
                                struct net_virt_tx_client *t, struct net_copier_config *cp,
                                struct net_client_config *cc)
{
    queue(L, lower_name(L, c->pd, "copier_active"), net->virt_rx, &r->to_copier, c->copier,
          &cp->virt_active);
    queue(L, lower_name(L, c->pd, "copier_free"), net->virt_rx, &r->from_copier, c->copier,
          &cp->virt_free);
    queue(L, lower_name(L, c->pd, "rx_active"), c->copier, &cp->client_active, c->pd, &cc->rx_active);
    queue(L, lower_name(L, c->pd, "rx_free"), c->copier, &cp->client_free, c->pd, &cc->rx_free);
    queue(L, lower_name(L, c->pd, "tx_free"), net->virt_tx, &t->to_client, c->pd, &cc->tx_free);
    queue(L, lower_name(L, c->pd, "tx_active"), net->virt_tx, &t->from_client, c->pd,
          &cc->tx_active);
}

/* Client i behind the virtualisers: its copier, its buffers and queues. */
static void lower_copied_client(struct lowering *L, const struct net *net, unsigned i,
                                struct net_virt_rx_config *vrx, struct net_virt_tx_config *vtx)
{
    const struct net_client *c = &net->client[i];
    struct net_copier_config cp = {.header = {NET_COPIER_MAGIC, NET_CONFIG_VERSION}};
    struct net_client_config cc = {.header = {NET_CLIENT_MAGIC, NET_CONFIG_VERSION}};
    struct net_virt_rx_client *r = &vrx->client[i];
    struct net_virt_tx_client *t = &vtx->client[i];
    lower_copied_buffers(L, net, c, &cp, &cc);
    lower_copied_queues(L, net, c, r, t, &cp, &cc);
    memcpy(r->mac, c->mac, 6);
    memcpy(cc.mac, c->mac, 6);
    memcpy(cc.ip, c->ip, 4);
    t->tx = pool(0, c->tx_paddr, net->client_buffers);
    lower_channel(L, net->virt_rx, NET_VIRT_FIRST_CLIENT_CH + i, false, c->copier, NET_COPIER_VIRT_CH);
    lower_channel(L, c->copier, NET_COPIER_CLIENT_CH, false, c->pd, NET_CLIENT_RX_CH);
    lower_channel(L, net->virt_tx, NET_VIRT_FIRST_CLIENT_CH + i, false, c->pd, NET_CLIENT_TX_CH);
    lower_config(L, c->copier, "net_copier_config", &cp, sizeof(cp));
    lower_config(L, c->pd, "net_client_config", &cc, sizeof(cc));
    lower_note_stats(L, c->copier, NET_STATS_CH);
}

/* Channels by role (net/holdings.h), and what the accounting must know. */
static void lower_accounting(struct lowering *L, const struct net *net)
{
    struct xml_node *a = net->accounting;
    struct net_account_config ac = {.header = {NET_ACCOUNT_MAGIC, NET_CONFIG_VERSION}};
    ac.clients = net->nclients;
    ac.client_buffers = net->client_buffers;
    ac.rx_base = net->dma + NET_DRIVER_RINGS_SIZE;
    ac.rx_buffers = net->rx_buffers;
    lower_channel(L, a, NET_ACCOUNT_DRIVER, true, net->driver, NET_DRIVER_STATS_CH);
    lower_channel(L, a, NET_ACCOUNT_VIRT_RX, true, net->virt_rx, NET_STATS_CH);
    lower_channel(L, a, NET_ACCOUNT_VIRT_TX, true, net->virt_tx, NET_STATS_CH);
    for (unsigned i = 0; i < net->nclients; i++) {
        const struct net_client *c = &net->client[i];
        lower_channel(L, a, NET_ACCOUNT_FIRST_COPIER + i, true, c->copier, NET_STATS_CH);
        lower_channel(L, a, NET_ACCOUNT_FIRST_COPIER + net->nclients + i, true, c->pd,
                      NET_CLIENT_STATS_CH);
        strcpy(ac.client[i].name, lower_pd_name(c->pd));
        ac.client[i].tx_base = c->tx_paddr;
    }
    lower_config(L, a, "net_account_config", &ac, sizeof(ac));
}

static void lower_virtualisers(struct lowering *L, const struct net *net, const uint64_t q[4])
{
    struct net_virt_rx_config vrx = {.header = {NET_VIRT_RX_MAGIC, NET_CONFIG_VERSION}};
    struct net_virt_tx_config vtx = {.header = {NET_VIRT_TX_MAGIC, NET_CONFIG_VERSION}};
    vrx.clients = vtx.clients = net->nclients;
    vrx.rx = pool(lower_map(L, net->virt_rx, "net_rx_dma",
                            pages((uint64_t)net->rx_buffers * NET_BUFFER_SIZE), "r", true),
                  net->dma + NET_DRIVER_RINGS_SIZE, net->rx_buffers);
    vrx.driver_free = q[0], vrx.driver_active = q[1];
    vtx.driver_active = q[2], vtx.driver_free = q[3];
    for (unsigned i = 0; i < net->nclients; i++)
        lower_copied_client(L, net, i, &vrx, &vtx);
    lower_config(L, net->virt_rx, "net_virt_rx_config", &vrx, sizeof(vrx));
    lower_config(L, net->virt_tx, "net_virt_tx_config", &vtx, sizeof(vtx));
    lower_note_stats(L, net->virt_rx, NET_STATS_CH);
    lower_note_stats(L, net->virt_tx, NET_STATS_CH);
    if (net->accounting)
        lower_accounting(L, net);
}

void lower_net(struct lowering *L, const struct xml_node *n)
{
    static struct net net;
    net = (struct net){0};
    parse_net(L, &net, n);
    check_roles(L, &net);
    check_clients(L, &net);
    check_priorities(L, &net);
    uint64_t dma_size = place_dma(L, &net);
    struct net_driver_config d;
    uint64_t q[4]; /* the driver's queues at its neighbours */
    lower_driver(L, &net, dma_size, &d);
    lower_driver_queues(L, &net, &d, q);
    if (net.virt_rx)
        lower_virtualisers(L, &net, q);
    else
        lower_direct_client(L, &net, q);
    lower_config(L, net.driver, "net_driver_config", &d, sizeof(d));
    lower_note_stats(L, net.driver, NET_DRIVER_STATS_CH);
}

/*
 * The <blk> subsystem element (docs/tool.md): the virtio-blk driver and
 * its client, or, with a block virtualiser ('virt'), up to
 * BLK_MAX_CLIENTS clients, each on a partition of its own. Checks the
 * element and lowers it: the device's slot page; one fixed DMA window from
 * 'dma' holding the driver's rings and then the driver's data region
 * (behind a virtualiser: its scratch buffer, then every client's data
 * region), so the device moves data straight to and from the clients; the
 * request and response queues and storage-information pages (read-only
 * for their readers); channels, the IRQ and the config structs
 * (blk/config.h).
 */
#include <string.h>

#include "tool.h"
#include "blk/config.h"
#include "blk/partition.h"
#include "blk/queue.h"

struct blk_client {
    struct xml_node *pd;
    int line;
    uint64_t data_size;
    unsigned partition;
    /* a file server's region shared with its client, right after its data */
    uint64_t shared;
    const char *shared_name;
};

struct blk {
    struct xml_node *driver, *virt, *stats;
    struct blk_client client[BLK_MAX_CLIENTS];
    unsigned nclients;
    uint64_t device, dma, window; /* window: the driver's data region's size */
    unsigned irq;
};

static uint64_t data_size(const struct xml_node *n, uint64_t def)
{
    uint64_t size = num_attr(n, "data_size", def, PAGE_SIZE_SMALL, BLK_MAX_DATA_SIZE);
    if (size % PAGE_SIZE_SMALL)
        fail_at(attr_line(n, "data_size"), "data_size %#llx is not a multiple of 0x1000",
                (unsigned long long)size);
    return size;
}

static void parse_client(struct lowering *L, struct blk *b, const struct xml_node *c,
                         uint64_t default_size)
{
    static const char *const direct_attrs[] = {"pd", NULL};
    static const char *const virt_attrs[] = {"pd", "partition", "data_size", NULL};
    lower_check_client(L, c, b->virt ? virt_attrs : direct_attrs, b->nclients,
                       b->virt ? BLK_MAX_CLIENTS : 1);
    struct blk_client *bc = &b->client[b->nclients++];
    bc->pd = lower_pd(L, c, "pd", true);
    bc->line = c->line;
    bc->data_size = data_size(c, default_size);
    bc->shared = lower_fs_shared(L, bc->pd, &bc->shared_name);
    const struct xml_attr *fat = find_attr(c, "partition");
    bc->partition = fat && !strcmp(fat->value, "fat")
                        ? BLK_PARTITION_FIRST_FAT
                        : (unsigned)num_attr(c, "partition", 0, 0, BLK_MAX_PARTITIONS - 1);
}

static void parse_blk(struct lowering *L, struct blk *b, const struct xml_node *n)
{
    static const char *const attrs[] = {"driver", "virt", "stats", "device", "irq", "dma",
                                        "data_size", NULL};
    check_attrs(n, attrs);
    b->driver = lower_pd(L, n, "driver", true);
    b->virt = lower_pd(L, n, "virt", false);
    b->stats = lower_pd(L, n, "stats", false);
    lower_virtio_device(n, &b->device, &b->irq);
    b->dma = lower_dma_window(n);
    if (!b->virt)
        required(n, "data_size");
    uint64_t default_size = data_size(n, 0x100000);
    for (const struct xml_node *c = n->children; c; c = c->next)
        parse_client(L, b, c, default_size);
    if (!b->nclients)
        fail_at(n->line, "<blk> has no <client>");
    b->window = b->virt ? BLK_SCRATCH_SIZE : 0;
    for (unsigned i = 0; i < b->nclients; i++)
        b->window += b->client[i].data_size + b->client[i].shared;
}

static void check_blk(const struct lowering *L, const struct blk *b)
{
    const struct xml_node *pds[3 + BLK_MAX_CLIENTS] = {b->driver, b->virt, b->stats};
    for (unsigned i = 0; i < b->nclients; i++)
        pds[3 + i] = b->client[i].pd;
    lower_check_roles(L, pds, 3 + b->nclients);
    for (unsigned i = 0; i < b->nclients; i++)
        lower_check_above(L, b->client[i].line, b->virt ? b->virt : b->driver,
                          b->virt ? "virtualiser" : "driver", b->client[i].pd, "client");
    if (b->virt)
        lower_check_above(L, lower_line(L), b->driver, "driver", b->virt, "virtualiser");
    if (b->dma + BLK_DRIVER_RINGS_SIZE + b->window > RAM_END)
        fail_at(lower_line(L), "<blk>'s DMA window ends past RAM");
}

/* A page between a server and a client: its address in each. */
static void share(struct lowering *L, const char *name, struct xml_node *server,
                  uint64_t *in_server, struct xml_node *client, const char *client_perms,
                  uint64_t *in_client)
{
    lower_region(L, name, BLK_QUEUE_REGION_SIZE, 0);
    *in_server = lower_map(L, server, name, BLK_QUEUE_REGION_SIZE, "rw", true);
    *in_client = lower_map(L, client, name, BLK_QUEUE_REGION_SIZE, client_perms, true);
}

/* Queues, info page and channel between a server (driver or virtualiser)
 * and one reader of its storage. */
static void link(struct lowering *L, struct xml_node *server, unsigned server_ch,
                 struct xml_node *client, unsigned client_ch, uint64_t in_server[3],
                 uint64_t in_client[3])
{
    share(L, lower_name(L, client, "requests"), server, &in_server[0], client, "rw", &in_client[0]);
    share(L, lower_name(L, client, "responses"), server, &in_server[1], client, "rw", &in_client[1]);
    share(L, lower_name(L, client, "info"), server, &in_server[2], client, "r", &in_client[2]);
    lower_channel(L, server, server_ch, false, client, client_ch);
}

/* The client's data region at paddr, and after it the region its <fs>
 * shares (mapped by the <fs> element): the client may name both. */
static uint64_t client_data(struct lowering *L, const struct blk_client *c, uint64_t paddr)
{
    const char *name = lower_name(L, c->pd, "data");
    lower_region(L, name, c->data_size, paddr);
    if (c->shared) {
        lower_region(L, c->shared_name, c->shared, paddr + c->data_size);
        lower_note_placed(L, c->shared_name, c->data_size);
    }
    return lower_map(L, c->pd, name, c->data_size, "rw", true);
}

static void lower_virt(struct lowering *L, const struct blk *b, struct blk_driver_config *d)
{
    struct blk_virt_config v = {.header = {BLK_VIRT_MAGIC, BLK_CONFIG_VERSION}};
    uint64_t in_driver[3], in_virt[3], offset = BLK_SCRATCH_SIZE;
    link(L, b->driver, BLK_DRIVER_CLIENT_CH, b->virt, BLK_VIRT_DRIVER_CH, in_driver, in_virt);
    d->requests = in_driver[0], d->responses = in_driver[1], d->info = in_driver[2];
    v.driver_requests = in_virt[0], v.driver_responses = in_virt[1], v.driver_info = in_virt[2];
    lower_region(L, "blk_scratch", BLK_SCRATCH_SIZE, d->data_paddr);
    v.scratch_vaddr = lower_map(L, b->virt, "blk_scratch", BLK_SCRATCH_SIZE, "rw", true);
    v.clients = b->nclients;
    for (unsigned i = 0; i < b->nclients; i++) {
        const struct blk_client *c = &b->client[i];
        struct blk_virt_client *vc = &v.client[i];
        struct blk_client_config cc = {.header = {BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION}};
        uint64_t in_v[3], in_c[3];
        link(L, b->virt, BLK_VIRT_FIRST_CLIENT_CH + i, c->pd, BLK_CLIENT_CH, in_v, in_c);
        *vc = (struct blk_virt_client){in_v[0], in_v[1], in_v[2], offset,
                                       c->data_size + c->shared, c->partition, 0};
        cc = (struct blk_client_config){cc.header, client_data(L, c, d->data_paddr + offset),
                                        c->data_size + c->shared, in_c[0], in_c[1], in_c[2]};
        offset += c->data_size + c->shared;
        lower_config(L, c->pd, "blk_client_config", &cc, sizeof(cc));
    }
    lower_config(L, b->virt, "blk_virt_config", &v, sizeof(v));
}

static void lower_direct(struct lowering *L, const struct blk *b, struct blk_driver_config *d)
{
    const struct blk_client *c = &b->client[0];
    uint64_t in_driver[3], in_client[3];
    link(L, b->driver, BLK_DRIVER_CLIENT_CH, c->pd, BLK_CLIENT_CH, in_driver, in_client);
    d->requests = in_driver[0], d->responses = in_driver[1], d->info = in_driver[2];
    struct blk_client_config cc = {{BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION},
                                   client_data(L, c, d->data_paddr), c->data_size + c->shared,
                                   in_client[0], in_client[1], in_client[2]};
    lower_config(L, c->pd, "blk_client_config", &cc, sizeof(cc));
}

/* The reader's calls to the driver and virtualiser; each client may ask
 * it to report. */
static void lower_reader(struct lowering *L, const struct blk *b)
{
    lower_channel(L, b->stats, BLK_READER_DRIVER_CH, true, b->driver, BLK_DRIVER_STATS_CH);
    if (b->virt)
        lower_channel(L, b->stats, BLK_READER_VIRT_CH, true, b->virt, BLK_VIRT_STATS_CH);
    for (unsigned i = 0; i < b->nclients; i++)
        lower_channel(L, b->client[i].pd, BLK_CLIENT_REPORT_CH, false, b->stats,
                      BLK_READER_FIRST_CLIENT_CH + i);
}

void lower_blk(struct lowering *L, const struct xml_node *n)
{
    static struct blk b;
    b = (struct blk){0};
    parse_blk(L, &b, n);
    check_blk(L, &b);
    struct blk_driver_config d = {.header = {BLK_DRIVER_MAGIC, BLK_CONFIG_VERSION}};
    d.mmio_vaddr = lower_map(L, b.driver, lower_virtio_region(L, b.device), PAGE_SIZE_SMALL, "rw",
                             false);
    lower_irq(L, b.driver, b.irq, BLK_DRIVER_IRQ_CH);
    lower_region(L, "blk_rings", BLK_DRIVER_RINGS_SIZE, b.dma);
    d.rings_vaddr = lower_map(L, b.driver, "blk_rings", BLK_DRIVER_RINGS_SIZE, "rw", true);
    d.rings_paddr = b.dma;
    d.data_paddr = b.dma + BLK_DRIVER_RINGS_SIZE;
    d.data_size = b.window;
    if (b.virt)
        lower_virt(L, &b, &d);
    else
        lower_direct(L, &b, &d);
    if (b.stats)
        lower_reader(L, &b);
    lower_config(L, b.driver, "blk_driver_config", &d, sizeof(d));
    lower_note_stats(L, b.driver, BLK_DRIVER_STATS_CH);
    if (b.virt)
        lower_note_stats(L, b.virt, BLK_VIRT_STATS_CH);
}

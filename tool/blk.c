/*
 * The <blk> subsystem element (docs/tool.md): the virtio-blk driver and
 * its client. Checks the element and lowers it: the device's slot page,
 * the driver's rings and the client's data region in one fixed DMA window
 * from 'dma' (the device moves data straight to and from the client), the
 * request and response queues, the storage-information page (read-only
 * for the client), the channel and the IRQ, and both config structs
 * (blk/config.h).
 */
#include "tool.h"
#include "blk/config.h"
#include "blk/queue.h"

struct blk {
    struct xml_node *driver, *client;
    int client_line;
    uint64_t device, dma, data_size;
    unsigned irq;
};

static void parse_blk(struct lowering *L, struct blk *b, const struct xml_node *n)
{
    static const char *const attrs[] = {"driver", "device", "irq", "dma", "data_size", NULL};
    static const char *const client_attrs[] = {"pd", NULL};
    check_attrs(n, attrs);
    b->driver = lower_pd(L, n, "driver", true);
    lower_virtio_device(n, &b->device, &b->irq);
    b->dma = lower_dma_window(n);
    b->data_size = num_value(required(n, "data_size"), PAGE_SIZE_SMALL, BLK_MAX_DATA_SIZE);
    if (b->data_size % PAGE_SIZE_SMALL)
        fail_at(attr_line(n, "data_size"), "data_size %#llx is not a multiple of 0x1000",
                (unsigned long long)b->data_size);
    unsigned count = 0;
    for (const struct xml_node *c = n->children; c; c = c->next) {
        lower_check_client(L, c, client_attrs, count++, 1);
        b->client = lower_pd(L, c, "pd", true);
        b->client_line = c->line;
    }
    if (!b->client)
        fail_at(n->line, "<blk> has no <client>");
}

static void check_blk(const struct lowering *L, const struct blk *b)
{
    const struct xml_node *pds[] = {b->driver, b->client};
    lower_check_roles(L, pds, 2);
    lower_check_above(L, b->client_line, b->driver, "driver", b->client, "client");
    if (b->dma + BLK_DRIVER_RINGS_SIZE + b->data_size > RAM_END)
        fail_at(lower_line(L), "<blk>'s DMA window ends past RAM");
}

/* A page between the driver and the client: its address in each. */
static void share(struct lowering *L, const char *name, const struct blk *b, uint64_t *in_driver,
                  const char *client_perms, uint64_t *in_client)
{
    lower_region(L, name, BLK_QUEUE_REGION_SIZE, 0);
    *in_driver = lower_map(L, b->driver, name, BLK_QUEUE_REGION_SIZE, "rw", true);
    *in_client = lower_map(L, b->client, name, BLK_QUEUE_REGION_SIZE, client_perms, true);
}

void lower_blk(struct lowering *L, const struct xml_node *n)
{
    static struct blk b;
    b = (struct blk){0};
    parse_blk(L, &b, n);
    check_blk(L, &b);
    struct blk_driver_config d = {.header = {BLK_DRIVER_MAGIC, BLK_CONFIG_VERSION}};
    struct blk_client_config c = {.header = {BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION}};
    d.mmio_vaddr = lower_map(L, b.driver, lower_virtio_region(L, b.device), PAGE_SIZE_SMALL, "rw",
                             false);
    lower_irq(L, b.driver, b.irq, BLK_DRIVER_IRQ_CH);
    lower_region(L, "blk_rings", BLK_DRIVER_RINGS_SIZE, b.dma);
    d.rings_vaddr = lower_map(L, b.driver, "blk_rings", BLK_DRIVER_RINGS_SIZE, "rw", true);
    d.rings_paddr = b.dma;
    lower_region(L, "blk_data", b.data_size, b.dma + BLK_DRIVER_RINGS_SIZE);
    c.data_vaddr = lower_map(L, b.client, "blk_data", b.data_size, "rw", true);
    d.data_paddr = b.dma + BLK_DRIVER_RINGS_SIZE;
    d.data_size = c.data_size = b.data_size;
    share(L, "blk_requests", &b, &d.requests, "rw", &c.requests);
    share(L, "blk_responses", &b, &d.responses, "rw", &c.responses);
    share(L, "blk_info", &b, &d.info, "r", &c.info);
    lower_channel(L, b.driver, BLK_DRIVER_CLIENT_CH, false, b.client, BLK_CLIENT_CH);
    lower_config(L, b.driver, "blk_driver_config", &d, sizeof(d));
    lower_config(L, b.client, "blk_client_config", &c, sizeof(c));
}

/*
 * virtio-blk driver for a modern (version 2) virtio-mmio device.
 *
 * Serves one client's request queue (include/blk/queue.h): every request
 * is checked (blk_request_check) and, if good, handed to the device with
 * the client's data region as its DMA buffer, up to SLOTS at once; a
 * response goes back for each, in the order the device completes them.
 * FLUSH is sent to the device as a flush (when the device has a volatile
 * cache: VIRTIO_BLK_F_FLUSH), and FLUSH and BARRIER are ordering points:
 * such a request waits until everything before it has completed, and
 * nothing after it starts before it has. A request is taken only while
 * the response queue has room for it and for everything in flight, so a
 * client that stops reading responses stalls only itself. A device that
 * asks to be reset fails what it holds and everything after with errors.
 *
 * Its system (blk/config.h): the slot page, rings, queues, info page and
 * the client's data region. Channels: 0 the device's IRQ, 1 the client;
 * protected calls report its statistics (pride/stats.h: requests
 * completed, bad requests, impossible indices).
 */
#include <microkit.h>
#include <pride_debug.h>
#include <blk/config.h>
#include <blk/queue.h>
#include <pride/stats.h>
#include <virtio/mmio.h>

#define IRQ_CHANNEL BLK_DRIVER_IRQ_CH
#define CLIENT_CHANNEL BLK_DRIVER_CLIENT_CH

/* virtio-blk (virtio 1.x, section 5.2). */
#define FEATURE_RO (1u << 5)
#define FEATURE_BLK_SIZE (1u << 6)
#define FEATURE_FLUSH (1u << 9)
#define CONFIG_CAPACITY (VIRTIO_CONFIG + 0) /* sectors, 64 bits */
#define CONFIG_BLK_SIZE (VIRTIO_CONFIG + 20)
#define TYPE_IN 0
#define TYPE_OUT 1
#define TYPE_FLUSH 4
#define STATUS_OK 0
#define STATUS_UNSUPPORTED 2
#define INTERRUPT_CONFIG 2

#define QUEUE_SIZE VIRTIO_QUEUE_SIZE
#define SLOTS 32 /* requests in flight: descriptors 3i .. 3i+2 each */
_Static_assert(3 * SLOTS <= QUEUE_SIZE, "every slot has its three descriptors");

struct request_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

/* Layout of the rings region: the virtqueue, then per slot a header and a
 * status byte, all in the device's reach. */
struct rings_layout {
    struct vq_desc desc[QUEUE_SIZE];
    struct vq_avail avail;
    uint8_t pad[4096 - sizeof(struct vq_desc) * QUEUE_SIZE - sizeof(struct vq_avail)];
    struct vq_used used;
    struct request_header headers[SLOTS];
    uint8_t status[SLOTS];
};
_Static_assert(sizeof(struct rings_layout) <= BLK_DRIVER_RINGS_SIZE, "the rings fit their region");

PRIDE_CONFIG(struct blk_driver_config, blk_driver_config, BLK_DRIVER_MAGIC, BLK_CONFIG_VERSION);

static volatile uint8_t *regs;
static volatile struct rings_layout *layout;
static volatile struct blk_storage_info *info;
static uint64_t rings_paddr, data_paddr;
static struct blk_limits limits;
static struct ring_consumer requests;
static struct ring_producer responses;
static struct blk_request slot_request[SLOTS]; /* what each slot in flight serves */
static bool slot_busy[SLOTS];
static uint16_t free_slot[SLOTS];
static unsigned num_free, in_flight;
static uint16_t avail_idx, last_used;
static bool device_flushes, broken, posted;
static bool flushing;         /* a flush in flight: nothing after it starts */
static bool holding;          /* an ordering request waits for the rest */
static struct blk_request held;
static struct pride_stats stats = {.unit = PRIDE_STATS_REQUESTS};

static uint64_t rings_dma(const volatile void *p)
{
    return rings_paddr + (uint64_t)((uintptr_t)p - (uintptr_t)layout);
}

static void respond(const struct blk_request *r, enum blk_status status)
{
    struct blk_response resp = {r->id, status, status == BLK_OK ? r->count : 0, 0};
    if (!blk_response_put(&responses, &resp))
        stats.bad_idx++; /* room was checked: the client broke the indices */
    else if (status == BLK_OK)
        stats.passed++;
}

static void set_desc(unsigned i, uint64_t addr, uint32_t len, uint16_t flags)
{
    layout->desc[i] = (struct vq_desc){addr, len, flags, (uint16_t)(i + 1)};
}

/* Three descriptors (two for a flush): header, data, status byte. */
static void submit(const struct blk_request *r)
{
    unsigned slot = free_slot[--num_free], d = 3 * slot;
    bool data = blk_data_op(r->op);
    slot_request[slot] = *r;
    slot_busy[slot] = true;
    layout->headers[slot] = (struct request_header){
        r->op == BLK_READ ? TYPE_IN : r->op == BLK_WRITE ? TYPE_OUT : TYPE_FLUSH, 0, r->block};
    layout->status[slot] = 0xff;
    set_desc(d, rings_dma(&layout->headers[slot]), sizeof(struct request_header), VIRTQ_DESC_F_NEXT);
    if (data)
        set_desc(d + 1, data_paddr + r->offset, r->count * BLK_SECTOR_SIZE,
                 VIRTQ_DESC_F_NEXT | (r->op == BLK_READ ? VIRTQ_DESC_F_WRITE : 0));
    else
        layout->desc[d].next = (uint16_t)(d + 2); /* a flush has no data */
    set_desc(d + 2, rings_dma(&layout->status[slot]), 1, VIRTQ_DESC_F_WRITE);
    layout->avail.ring[avail_idx % QUEUE_SIZE] = (uint16_t)d;
    avail_idx++;
    in_flight++;
    posted = true;
}

/* A good request: data goes to the device at once; FLUSH and BARRIER
 * wait until nothing is in flight. */
static void start(const struct blk_request *r)
{
    if (broken) {
        respond(r, BLK_ERR_NOT_READY); /* a held request, after the device failed */
    } else if (blk_data_op(r->op)) {
        submit(r);
    } else if (in_flight) {
        held = *r;
        holding = true;
    } else if (r->op == BLK_FLUSH && device_flushes) {
        submit(r);
        flushing = true;
    } else {
        respond(r, BLK_OK); /* nothing before it is unfinished; no cache to flush */
    }
}

static enum blk_status device_status(unsigned slot)
{
    uint8_t s = layout->status[slot];
    return s == STATUS_OK ? BLK_OK : s == STATUS_UNSUPPORTED ? BLK_ERR_BAD_REQUEST : BLK_ERR_IO;
}

static void finish(unsigned slot, enum blk_status status)
{
    if (slot_request[slot].op == BLK_FLUSH)
        flushing = false;
    respond(&slot_request[slot], status);
    slot_busy[slot] = false;
    free_slot[num_free++] = (uint16_t)slot;
    in_flight--;
}

/* Completions; a used entry naming no slot in flight is ignored. */
static void complete_used(void)
{
    virtio_barrier();
    while (last_used != layout->used.idx) {
        uint32_t head = layout->used.ring[last_used % QUEUE_SIZE].id;
        last_used++;
        virtio_barrier();
        unsigned slot = head / 3;
        if (head % 3 == 0 && slot < SLOTS && slot_busy[slot])
            finish(slot, device_status(slot));
    }
}

static bool may_take(void)
{
    return !holding && !flushing && num_free && ring_producer_space(&responses) > in_flight;
}

/* Takes requests while it may; true if more may have come meanwhile. */
static bool intake(void)
{
    struct blk_request r;
    int taken = 0;
    while (may_take() && (taken = blk_request_take(&requests, &r)) == 1) {
        enum blk_status verdict = broken ? BLK_ERR_NOT_READY : blk_request_check(&r, &limits);
        if (verdict == BLK_OK) {
            start(&r);
            continue;
        }
        if (verdict != BLK_ERR_NOT_READY)
            stats.bad_desc++;
        respond(&r, verdict);
    }
    if (taken < 0) {
        stats.bad_idx++;
        return false;
    }
    if (!may_take()) {
        /* out of response room: the client says when it has read some */
        ring_producer_request_signal(&responses);
        return may_take();
    }
    return !ring_consumer_may_sleep(&requests);
}

static void serve(void)
{
    bool again;
    do {
        complete_used();
        if (holding && !in_flight) {
            holding = false;
            start(&held);
        }
        again = intake();
    } while (again || (holding && !in_flight));
    if (posted) {
        virtio_barrier();
        layout->avail.idx = avail_idx;
        virtio_barrier();
        virtio_write(regs, VIRTIO_QUEUE_NOTIFY, 0);
        posted = false;
    }
    /* the client may wait for answers, or for room to ask */
    if (ring_producer_must_signal(&responses) | ring_consumer_must_signal(&requests))
        microkit_deferred_notify(CLIENT_CHANNEL);
}

/* The device needs a reset: what it holds will not complete. */
static void fail_device(void)
{
    broken = true;
    __atomic_store_n(&info->ready, 0, __ATOMIC_RELEASE);
    for (unsigned slot = 0; slot < SLOTS; slot++)
        if (slot_busy[slot])
            finish(slot, BLK_ERR_IO);
    flushing = false;
    microkit_dbg_puts("virtio-blk: the device needs a reset; failing every request\n");
}

static bool setup_device(uint64_t mmio_page)
{
    uint32_t features;
    regs = virtio_find(mmio_page, VIRTIO_DEVICE_BLOCK);
    if (!regs || !virtio_negotiate(regs, FEATURE_RO | FEATURE_BLK_SIZE | FEATURE_FLUSH, &features))
        return false;
    if (!virtio_queue_setup(regs, 0, rings_dma(layout->desc), rings_dma(&layout->avail),
                            rings_dma(&layout->used)))
        return false;
    device_flushes = features & FEATURE_FLUSH;
    limits.read_only = features & FEATURE_RO;
    limits.capacity = virtio_read(regs, CONFIG_CAPACITY) |
                      (uint64_t)virtio_read(regs, CONFIG_CAPACITY + 4) << 32;
    info->block_size = features & FEATURE_BLK_SIZE ? virtio_read(regs, CONFIG_BLK_SIZE)
                                                   : BLK_SECTOR_SIZE;
    virtio_driver_ok(regs);
    return true;
}

static void announce(void)
{
    info->capacity = limits.capacity;
    info->read_only = limits.read_only;
    __atomic_store_n(&info->ready, 1, __ATOMIC_RELEASE);
    microkit_dbg_puts("virtio-blk: ");
    pride_dbg_put_dec(limits.capacity);
    microkit_dbg_puts(limits.read_only ? " sectors, read-only" : " sectors, writable");
    microkit_dbg_puts(device_flushes ? ", write cache flushed on FLUSH\n" : ", no write cache\n");
}

void init(void)
{
    const struct blk_driver_config *c = pride_config(&blk_driver_config);
    layout = (volatile struct rings_layout *)(uintptr_t)c->rings_vaddr;
    info = (volatile struct blk_storage_info *)(uintptr_t)c->info;
    rings_paddr = c->rings_paddr;
    data_paddr = c->data_paddr;
    limits.data_size = c->data_size <= BLK_MAX_DATA_SIZE ? c->data_size : 0;
    ring_consumer_attach(&requests, (struct ring_shared *)(uintptr_t)c->requests, BLK_QUEUE_CAPACITY);
    ring_producer_attach(&responses, (struct ring_shared *)(uintptr_t)c->responses,
                         BLK_QUEUE_CAPACITY);
    for (unsigned s = 0; s < SLOTS; s++)
        free_slot[num_free++] = (uint16_t)(SLOTS - 1 - s);
    broken = !setup_device(c->mmio_vaddr);
    if (broken) {
        microkit_dbg_puts("virtio-blk: no usable modern virtio-blk device\n");
        return;
    }
    announce();
    microkit_deferred_notify(CLIENT_CHANNEL);
    serve(); /* asks to be told of requests */
}

void notified(microkit_channel ch)
{
    if (ch == IRQ_CHANNEL) {
        uint32_t cause = virtio_read(regs, VIRTIO_INTERRUPT_STATUS);
        virtio_write(regs, VIRTIO_INTERRUPT_ACK, cause);
        microkit_deferred_irq_ack(IRQ_CHANNEL);
        if ((cause & INTERRUPT_CONFIG) && !broken &&
            (virtio_read(regs, VIRTIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET))
            fail_device();
    }
    serve();
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    return pride_stats_answer(msginfo, &stats);
}

/*
 * virtio-net driver for a modern (version 2) virtio-mmio device.
 *
 * Four net queues connect it to its neighbour (the RX and TX virtualisers,
 * or a single client): empty buffers arrive on rx_free and go back full on
 * rx_active; frames to send arrive on tx_active and their buffers go back
 * on tx_free. Descriptors carry DMA addresses: the driver never maps the
 * buffers. Each packet takes two chained virtqueue descriptors: the 12-byte
 * virtio-net header in the driver's own memory, then the frame in the
 * neighbour's buffer, so buffers hold pure Ethernet frames.
 *
 * Free queues are signalled on demand (include/net/queue.h): sent buffers
 * are reclaimed whenever the driver runs, and the device interrupts on
 * transmit completions only while the neighbour waits for buffers or the
 * transmit queue is full. Receive buffers are asked for only when fewer
 * than RX_LOW_WATER are posted. An echoed packet thus costs one interrupt.
 *
 * Nothing reaches the device unchecked (net_frame_check, net_empty_check,
 * and no buffer the device holds already), so it never sees what the virtio
 * spec forbids, such as a zero-sized buffer; and nothing goes up that the
 * frame-length policy (net/queue.h) rejects: the device writes up to a whole
 * buffer, so longer frames are dropped here. Bad descriptors, impossible
 * queue indices and dropped frames are counted.
 *
 * Its system (net/config.h): the slot page, rings, queues and DMA window.
 * Channels: 0 the device's IRQ, 1 RX neighbour, 2 TX neighbour; protected
 * calls report its statistics (pride/stats.h: frames passed up and sent)
 * and its buffers (net/accounting.h).
 * Built without FP/SIMD registers (the Makefile's build policy).
 */
#include <microkit.h>
#include <net/accounting.h>
#include <net/config.h>
#include <virtio/mmio.h>

#define IRQ_CHANNEL NET_DRIVER_IRQ_CH
#define RX_CHANNEL NET_DRIVER_RX_CH
#define TX_CHANNEL NET_DRIVER_TX_CH

#define FEATURE_NET_MAC (1u << 5)

#define QUEUE_SIZE VIRTIO_QUEUE_SIZE
#define SLOTS (QUEUE_SIZE / 2) /* packets in flight per queue */
#define RX_QUEUE 0
#define TX_QUEUE 1
#define NET_HEADER_SIZE 12
/* Below this many posted receive buffers, ask the neighbour for more. */
#define RX_LOW_WATER (SLOTS / 2)

PRIDE_CONFIG(struct net_driver_config, net_driver_config, NET_DRIVER_MAGIC, NET_CONFIG_VERSION);

/* From the config: the rings' DMA address, and the window every buffer
 * lies in (at most NET_DMA_WINDOW_SIZE, which in_flight covers). */
static uint64_t rings_paddr, buffers_paddr, buffers_size;

/* Layout of the rings region: two virtqueues, then the headers. */
struct rings_layout {
    struct vq_desc desc[2][QUEUE_SIZE];
    struct vq_avail avail[2];
    uint8_t pad[4096 - sizeof(struct vq_avail) * 2];
    struct vq_used used[2];
    uint8_t headers[2][SLOTS][16];
};
_Static_assert(sizeof(struct rings_layout) <= NET_DRIVER_RINGS_SIZE, "the rings fit their region");

struct virtq {
    unsigned index;
    volatile struct vq_desc *desc;
    volatile struct vq_avail *avail;
    volatile struct vq_used *used;
    uint32_t avail_idx; /* packets ever posted; the device sees the low 16 bits */
    uint16_t last_used;
    uint64_t buffer[SLOTS]; /* DMA address of the buffer in each packet slot */
    uint16_t free_slot[SLOTS];
    unsigned num_free;
};

static volatile uint8_t *regs;
static volatile struct rings_layout *layout;
static struct virtq rxq, txq;
static struct ring_consumer rx_free, tx_active;
static struct ring_producer rx_active, tx_free;
static bool in_flight[NET_DMA_WINDOW_BUFFERS]; /* the device holds the buffer */
static struct pride_stats stats = {.unit = PRIDE_STATS_FRAMES};

static uint32_t reg_read(unsigned offset)
{
    return virtio_read(regs, offset);
}

static void reg_write(unsigned offset, uint32_t value)
{
    virtio_write(regs, offset, value);
}

static void barrier(void)
{
    virtio_barrier();
}

static uint64_t rings_dma(const volatile void *p)
{
    return rings_paddr + (uint64_t)((uintptr_t)p - (uintptr_t)layout);
}

static bool *device_holds(uint64_t dma)
{
    return &in_flight[(dma - buffers_paddr) / NET_BUFFER_SIZE];
}

/* A buffer of the window (checked) for the device: false, and counted, if
 * the device holds it already (a neighbour handed it over twice). */
static bool claim_buffer(uint64_t dma)
{
    bool *held = device_holds(dma);
    if (*held) {
        stats.bad_desc++;
        return false;
    }
    *held = true;
    return true;
}

static void release_buffer(uint64_t dma)
{
    *device_holds(dma) = false;
}

/* Queue one packet (header + buffer) to the device: only claimed buffers,
 * with a length of at least NET_MIN_FRAME. */
static void post(struct virtq *q, uint64_t buffer, uint32_t length, uint16_t flags)
{
    unsigned slot = q->free_slot[--q->num_free];
    volatile struct vq_desc *head = &q->desc[2 * slot], *body = &q->desc[2 * slot + 1];
    head->addr = rings_dma(layout->headers[q->index][slot]);
    head->len = NET_HEADER_SIZE;
    head->flags = VIRTQ_DESC_F_NEXT | flags;
    head->next = (uint16_t)(2 * slot + 1);
    body->addr = buffer;
    body->len = length;
    body->flags = flags;
    q->buffer[slot] = buffer;
    q->avail->ring[q->avail_idx % QUEUE_SIZE] = (uint16_t)(2 * slot);
    q->avail_idx++;
}

static void publish(struct virtq *q)
{
    barrier();
    q->avail->idx = (uint16_t)q->avail_idx;
    barrier();
    reg_write(VIRTIO_QUEUE_NOTIFY, q->index);
}

/* Next completed packet: its slot, or -1. Inline, as it runs for every
 * packet: gcc's own choice varies with the size of its callers. */
static inline int take_used(struct virtq *q, uint32_t *length)
{
    if (q->last_used == q->used->idx)
        return -1;
    barrier();
    unsigned entry = q->last_used++ % QUEUE_SIZE;
    unsigned slot = (q->used->ring[entry].id / 2) % SLOTS;
    *length = q->used->ring[entry].len;
    q->free_slot[q->num_free++] = (uint16_t)slot;
    return (int)slot;
}

/* Give the device every empty buffer we are offered, while it has room.
 * Running low, ask the neighbour for more (and tell it so); otherwise every
 * received frame brings us back here anyway. */
static void rx_refill(void)
{
    bool posted = false, running_low;
    struct net_desc desc;
    do {
        while (rxq.num_free && net_take(&rx_free, &desc, &stats.bad_idx)) {
            if (!net_empty_taken(desc, buffers_paddr, buffers_size, &stats.bad_desc) ||
                !claim_buffer(desc.offset))
                continue;
            post(&rxq, desc.offset, NET_BUFFER_SIZE, VIRTQ_DESC_F_WRITE);
            posted = true;
        }
        running_low = SLOTS - rxq.num_free < RX_LOW_WATER;
    } while (running_low && !ring_consumer_may_sleep(&rx_free));
    if (posted)
        publish(&rxq);
    if (running_low)
        microkit_deferred_notify(RX_CHANNEL);
}

static void rx_complete(void)
{
    uint32_t length;
    int slot;
    while ((slot = take_used(&rxq, &length)) >= 0) {
        uint64_t buffer = rxq.buffer[slot];
        /* The device wrote the header first; a length short of it wraps,
         * and fails the policy too. */
        struct net_desc frame = {buffer, length - NET_HEADER_SIZE, 0};
        if (!net_frame_length_valid(frame.length) || !net_give(&rx_active, frame, &stats.bad_idx)) {
            stats.drops++; /* give the buffer straight back to the device */
            post(&rxq, buffer, NET_BUFFER_SIZE, VIRTQ_DESC_F_WRITE);
            publish(&rxq);
            continue;
        }
        release_buffer(buffer);
    }
    if (ring_producer_must_signal(&rx_active))
        microkit_deferred_notify(RX_CHANNEL);
}

/* A frame to send: the policy's length, in a buffer of the window the
 * device does not hold. A bad one is counted, and its buffer goes back to
 * the neighbour unless the device holds it. */
static bool frame_to_send(struct net_desc desc)
{
    enum net_verdict verdict = net_frame_check(desc, buffers_paddr, buffers_size);
    if (verdict == NET_DESC_OK)
        return claim_buffer(desc.offset);
    stats.bad_desc++;
    if (verdict == NET_DESC_BAD_FIELDS && !*device_holds(desc.offset))
        net_give(&tx_free, (struct net_desc){desc.offset, 0, 0}, &stats.bad_idx);
    return false;
}

static void tx_send(void)
{
    bool posted = false;
    struct net_desc desc;
    do {
        while (txq.num_free && net_take(&tx_active, &desc, &stats.bad_idx)) {
            if (!frame_to_send(desc))
                continue;
            post(&txq, desc.offset, desc.length, 0);
            posted = true;
        }
    } while (txq.num_free && !ring_consumer_may_sleep(&tx_active));
    if (posted)
        publish(&txq);
}

static void tx_complete(void)
{
    uint32_t length;
    int slot;
    while ((slot = take_used(&txq, &length)) >= 0) {
        release_buffer(txq.buffer[slot]);
        net_give(&tx_free, (struct net_desc){txq.buffer[slot], 0, 0}, &stats.bad_idx);
    }
}

/* Completions interrupt only if someone waits for them: the neighbour for
 * sent buffers, or we for room in a full queue. Re-checks after enabling,
 * since completions that came while disabled raised no interrupt.
 * True if there is nothing to reclaim. */
static bool tx_completions_quiet(void)
{
    bool in_flight = txq.num_free < SLOTS;
    bool wanted = in_flight && (txq.num_free == 0 || ring_consumer_waiting(&tx_free));
    txq.avail->flags = wanted ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;
    barrier();
    return !wanted || txq.last_used == txq.used->idx;
}

/* One pass over everything, until no completion can be missed. Sent
 * buffers, and bad frames' buffers, go back on tx_free. */
static void serve(void)
{
    do {
        rx_complete();
        tx_complete();
        rx_refill();
        tx_send();
    } while (!tx_completions_quiet());
    if (ring_producer_must_signal(&tx_free))
        microkit_deferred_notify(TX_CHANNEL);
}

static bool setup_queue(struct virtq *q, unsigned index)
{
    q->index = index;
    q->desc = layout->desc[index];
    q->avail = &layout->avail[index];
    q->used = &layout->used[index];
    for (unsigned s = 0; s < SLOTS; s++)
        q->free_slot[q->num_free++] = (uint16_t)s;
    return virtio_queue_setup(regs, index, rings_dma(q->desc), rings_dma(q->avail),
                              rings_dma(q->used));
}

static void print_mac(void)
{
    microkit_dbg_puts("virtio-net: MAC ");
    for (unsigned i = 0; i < 6; i++) {
        uint8_t b = regs[VIRTIO_CONFIG + i];
        microkit_dbg_putc("0123456789abcdef"[b >> 4]);
        microkit_dbg_putc("0123456789abcdef"[b & 15]);
        microkit_dbg_putc(i < 5 ? ':' : '\n');
    }
}

void init(void)
{
    const struct net_driver_config *c = pride_config(&net_driver_config);
    layout = (volatile struct rings_layout *)c->rings_vaddr;
    rings_paddr = c->rings_paddr;
    buffers_paddr = c->dma_base;
    buffers_size = c->dma_size <= NET_DMA_WINDOW_SIZE ? c->dma_size : 0;
    ring_consumer_attach(&rx_free, net_queue_at(c->rx_free), NET_QUEUE_CAPACITY);
    ring_producer_attach(&rx_active, net_queue_at(c->rx_active), NET_QUEUE_CAPACITY);
    ring_consumer_attach(&tx_active, net_queue_at(c->tx_active), NET_QUEUE_CAPACITY);
    ring_producer_attach(&tx_free, net_queue_at(c->tx_free), NET_QUEUE_CAPACITY);
    uint32_t features;
    regs = virtio_find(c->mmio_vaddr, VIRTIO_DEVICE_NET);
    if (!regs || !virtio_negotiate(regs, FEATURE_NET_MAC, &features) ||
        !setup_queue(&rxq, RX_QUEUE) || !setup_queue(&txq, TX_QUEUE)) {
        microkit_dbg_puts("virtio-net: no usable modern virtio-net device\n");
        return;
    }
    virtio_driver_ok(regs);
    print_mac();
    /* Also asks for the first frames to send: otherwise a first frame could
     * wait on its queue until something is received (tests/spin/net_demand.pml). */
    serve();
}

void notified(microkit_channel ch)
{
    if (ch == IRQ_CHANNEL) {
        reg_write(VIRTIO_INTERRUPT_ACK, reg_read(VIRTIO_INTERRUPT_STATUS));
        microkit_deferred_irq_ack(IRQ_CHANNEL); /* when this handler is done */
    }
    serve();
}

/* Every buffer here is named by its DMA address: those the device holds,
 * and those waiting to be given to it, whichever pool asked about. */
static void hold(struct net_holdings *h)
{
    if (h->query.kind != NET_POOL_RX_DMA && h->query.kind != NET_POOL_TX)
        return;
    for (unsigned b = 0; b < NET_DMA_WINDOW_BUFFERS; b++)
        if (in_flight[b])
            net_hold(h, buffers_paddr + (uint64_t)b * NET_BUFFER_SIZE, h->query.base);
    net_hold_waiting(h, &rx_free, h->query.base);
    net_hold_waiting(h, &tx_active, h->query.base);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    /* Published: a descriptor per frame passed up, a packet per frame sent. */
    stats.passed = (uint64_t)rx_active.tail + txq.avail_idx;
    return net_account_answer(msginfo, hold, &stats);
}

/*
 * Network queues: rings of buffer descriptors in shared memory, built on
 * pride/ring.h. Between each pair of neighbouring PDs (driver, virtualiser,
 * copier, client) there are two queues per direction: "free" carries empty
 * buffers towards the side that fills them, "active" carries filled buffers
 * (frames) towards the side that consumes them. Buffers never move; only
 * descriptors do, so the path is zero-copy.
 *
 * A descriptor names a buffer by its offset in the buffer region the two
 * neighbours share (the driver: by its DMA address) and gives the frame
 * length. The consumer of a descriptor validates it against its own view of
 * the region before use: net_desc_valid().
 *
 * Active queues are signalled as the ring core describes: the consumer asks
 * before it sleeps, the producer signals what it publishes. Free queues are
 * signalled on demand: their producer may keep returned buffers until it
 * runs anyway (a driver reclaims sent buffers when the next frame arrives;
 * a virtualiser passes returns on in its next pass), which saves a wakeup
 * per packet. A PD that runs short of buffers therefore asks for a signal
 * on its free queue, re-checks (ring_consumer_may_sleep) and, if still
 * short, notifies the producer before sleeping; a producer that sees the request
 * (ring_consumer_waiting) returns buffers as they come free, and passes the
 * demand on to its own neighbour in the same way.
 */
#ifndef NET_QUEUE_H
#define NET_QUEUE_H

#include <pride/ring.h>

#define NET_BUFFER_SIZE 2048         /* one frame per buffer */
#define NET_MAX_FRAME 1514           /* Ethernet without FCS */
#define NET_QUEUE_REGION_SIZE 0x1000
#define NET_QUEUE_CAPACITY 128

struct net_desc {
    uint64_t offset; /* of the buffer in the region (driver: DMA address) */
    uint32_t length; /* bytes of frame in it */
    uint32_t reserved;
};

struct net_queue {
    struct ring_shared ring;
    struct net_desc slots[];
};

_Static_assert(sizeof(struct net_queue) + NET_QUEUE_CAPACITY * sizeof(struct net_desc) <=
                   NET_QUEUE_REGION_SIZE,
               "net queue must fit its region");
_Static_assert((NET_QUEUE_CAPACITY & (NET_QUEUE_CAPACITY - 1)) == 0,
               "net queue capacity must be a power of two");

static inline struct net_desc *net_queue_slot(struct ring_shared *ring, uint32_t index,
                                              uint32_t capacity)
{
    return &((struct net_queue *)ring)->slots[index & (capacity - 1)];
}

/* Append one descriptor; false if the queue is full or corrupt. */
static inline bool net_enqueue(struct ring_producer *p, struct net_desc desc)
{
    if (ring_producer_space(p) <= 0)
        return false;
    *net_queue_slot(p->shared, p->tail, p->capacity) = desc;
    ring_producer_publish(p, 1);
    return true;
}

/* Take one descriptor: 1 if taken, 0 if empty, -1 if the queue is corrupt. */
static inline int net_dequeue(struct ring_consumer *c, struct net_desc *desc)
{
    int64_t available = ring_consumer_available(c);
    if (available <= 0)
        return (int)available;
    *desc = *net_queue_slot(c->shared, c->head, c->capacity);
    ring_consumer_release(c, 1);
    return 1;
}

/* A descriptor names a whole buffer inside a region of region_size bytes
 * starting at base, and its length fits the buffer. */
static inline bool net_desc_valid(struct net_desc desc, uint64_t base, uint64_t region_size)
{
    uint64_t offset = desc.offset - base;
    return desc.offset >= base && region_size >= NET_BUFFER_SIZE &&
           offset <= region_size - NET_BUFFER_SIZE && offset % NET_BUFFER_SIZE == 0 &&
           desc.length <= NET_BUFFER_SIZE;
}

#endif

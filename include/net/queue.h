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
 * length. Every consumer, at every hop, checks every descriptor against its
 * own view of the region before use (net_frame_check, net_empty_check): a
 * neighbour may be broken or hostile, and what one hop let through must not
 * reach the next, least of all the device.
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

#define NET_BUFFER_SIZE 2048 /* one frame per buffer */
#define NET_ETH_HEADER 14    /* destination and source MAC, EtherType */
#define NET_MTU 1500         /* the largest payload of an Ethernet frame */

/* The frame-length policy, for every hop from the device to the clients
 * and back: a frame holds an Ethernet header at least, and is no longer
 * than Ethernet allows (no FCS). Whatever a hop gets outside it is dropped
 * and counted there, never passed on. */
#define NET_MIN_FRAME NET_ETH_HEADER
#define NET_MAX_FRAME (NET_ETH_HEADER + NET_MTU)
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

/* As net_enqueue, for a PD that counts its problems (pride/stats.h): an
 * impossible index of the consumer adds one to *bad_idx. Looked into only
 * when the descriptor did not fit, so the fast path costs nothing more. */
static inline bool net_give(struct ring_producer *p, struct net_desc desc, uint64_t *bad_idx)
{
    if (net_enqueue(p, desc))
        return true;
    if (ring_producer_space(p) < 0)
        (*bad_idx)++;
    return false;
}

/* As net_dequeue, counting: true if a descriptor was taken; a queue whose
 * producer's index is impossible holds nothing, and adds one to *bad_idx. */
static inline bool net_take(struct ring_consumer *c, struct net_desc *desc, uint64_t *bad_idx)
{
    int taken = net_dequeue(c, desc);
    if (taken < 0)
        (*bad_idx)++;
    return taken == 1;
}

/* Does value name a whole buffer of a region of region_size bytes starting
 * at base? Regions never wrap around the top of the address space. */
static inline bool net_names_buffer(uint64_t value, uint64_t base, uint64_t region_size)
{
    uint64_t offset = value - base;
    return region_size >= NET_BUFFER_SIZE && offset <= region_size - NET_BUFFER_SIZE &&
           offset % NET_BUFFER_SIZE == 0;
}

/* Lengths outside [min, max] wrap past max - min (unsigned). */
static inline bool net_length_within(uint32_t length, uint32_t min, uint32_t max)
{
    return length - min <= max - min;
}

static inline bool net_frame_length_valid(uint32_t length)
{
    return net_length_within(length, NET_MIN_FRAME, NET_MAX_FRAME);
}

/* A consumer's verdict on a descriptor. One that names no buffer of the
 * region is dropped and counted: nothing can be given back. One that names
 * a buffer but whose other fields are wrong is dropped and counted too, but
 * its buffer is known, so it goes to its owner: back to the producer with a
 * frame, kept by the consumer as an empty buffer. */
enum net_verdict { NET_DESC_OK, NET_DESC_BAD_FIELDS, NET_DESC_NO_BUFFER };

static inline enum net_verdict net_desc_check(struct net_desc desc, uint32_t min_length,
                                              uint32_t max_length, uint64_t base,
                                              uint64_t region_size)
{
    if (!net_names_buffer(desc.offset, base, region_size))
        return NET_DESC_NO_BUFFER;
    if (!net_length_within(desc.length, min_length, max_length) || desc.reserved)
        return NET_DESC_BAD_FIELDS;
    return NET_DESC_OK;
}

/* A descriptor on an active queue: a frame within the policy. */
static inline enum net_verdict net_frame_check(struct net_desc desc, uint64_t base,
                                               uint64_t region_size)
{
    return net_desc_check(desc, NET_MIN_FRAME, NET_MAX_FRAME, base, region_size);
}

/* A descriptor on a free queue: an empty buffer, length 0. */
static inline enum net_verdict net_empty_check(struct net_desc desc, uint64_t base,
                                               uint64_t region_size)
{
    return net_desc_check(desc, 0, 0, base, region_size);
}

/* An empty buffer handed to its owner: true if desc names a buffer of the
 * region, which is then the consumer's (the other fields of an empty
 * buffer carry nothing); a bad descriptor adds one to *bad. */
static inline bool net_empty_taken(struct net_desc desc, uint64_t base, uint64_t region_size,
                                   uint64_t *bad)
{
    enum net_verdict verdict = net_empty_check(desc, base, region_size);
    if (verdict != NET_DESC_OK)
        (*bad)++;
    return verdict != NET_DESC_NO_BUFFER;
}

#endif

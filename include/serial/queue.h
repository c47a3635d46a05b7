/*
 * Serial character queue: a ring of bytes in shared memory, one per
 * direction per client. The region is a struct serial_queue followed by
 * `capacity` bytes of data; capacity is a power of two both sides agree on
 * through the system description and keep privately.
 */
#ifndef SERIAL_QUEUE_H
#define SERIAL_QUEUE_H

#include <pride/ring.h>

struct serial_queue {
    struct ring_shared ring;
    char data[];
};

/* Every serial queue region in a system is one page holding a queue of
 * this capacity (where each is mapped: serial/config.h). */
#define SERIAL_QUEUE_REGION_SIZE 0x1000
#define SERIAL_QUEUE_CAPACITY 2048
_Static_assert(sizeof(struct serial_queue) + SERIAL_QUEUE_CAPACITY <= SERIAL_QUEUE_REGION_SIZE,
               "serial queue must fit its region");
_Static_assert((SERIAL_QUEUE_CAPACITY & (SERIAL_QUEUE_CAPACITY - 1)) == 0,
               "serial queue capacity must be a power of two");

#define SERIAL_QUEUE_CORRUPT (-1)

static inline char *serial_queue_data(struct ring_shared *ring)
{
    return ((struct serial_queue *)ring)->data;
}

/* Copy up to len bytes in; returns how many fit, or SERIAL_QUEUE_CORRUPT. */
static inline int64_t serial_queue_write(struct ring_producer *p, const char *src, uint32_t len)
{
    int64_t space = ring_producer_space(p);
    if (space < 0)
        return SERIAL_QUEUE_CORRUPT;
    uint32_t n = len < space ? len : (uint32_t)space;
    char *data = serial_queue_data(p->shared);
    for (uint32_t i = 0; i < n; i++)
        data[(p->tail + i) & (p->capacity - 1)] = src[i];
    ring_producer_publish(p, n);
    return n;
}

/* Copy up to max bytes out; returns how many, or SERIAL_QUEUE_CORRUPT. */
static inline int64_t serial_queue_read(struct ring_consumer *c, char *dst, uint32_t max)
{
    int64_t available = ring_consumer_available(c);
    if (available < 0)
        return SERIAL_QUEUE_CORRUPT;
    uint32_t n = max < available ? max : (uint32_t)available;
    const char *data = serial_queue_data(c->shared);
    for (uint32_t i = 0; i < n; i++)
        dst[i] = data[(c->head + i) & (c->capacity - 1)];
    ring_consumer_release(c, n);
    return n;
}

#endif

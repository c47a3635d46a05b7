/*
 * Single-producer, single-consumer ring indices in shared memory: the
 * protocol core every device-class queue (serial, network, block) builds on.
 *
 * - Indices run freely (wrapping at 2^32) and are reduced modulo a
 *   power-of-two capacity only to address a slot.
 * - Each side keeps its own index and the capacity in a private handle and
 *   only publishes the index; a neighbour can scribble on shared memory but
 *   cannot change what a side believes about itself.
 * - The neighbour's index is validated before use: 0 <= tail - head <=
 *   capacity. A violation is reported as corruption, never followed.
 * - Publication uses release stores and acquire loads.
 * - Signalling: a side about to sleep sets its "signal me" flag, issues a
 *   full barrier and looks at the ring once more; the other side publishes,
 *   issues a full barrier and then reads the flag. One of the two always
 *   sees the other, so no wakeup is lost (model: tests/spin/ring.pml).
 *   This relies on notifications being sticky (a notification stays pending
 *   until received, as the kernel's are): the side that clears a flag may
 *   race with a fresh request, which is then answered by the notification
 *   already sent. A request left set after a successful re-check costs at
 *   most one spurious notification later.
 *
 * Plain C11 with GCC atomics: builds for the host (tests) and AArch64.
 */
#ifndef PRIDE_RING_H
#define PRIDE_RING_H

#include <stdbool.h>
#include <stdint.h>

/* Shared part. Producer-written and consumer-written words sit in separate
 * cache lines so the two sides do not contend. */
struct ring_shared {
    _Alignas(64) uint32_t tail; /* written by the producer */
    uint32_t producer_waiting;  /* set by the producer, cleared by the consumer */
    _Alignas(64) uint32_t head; /* written by the consumer */
    uint32_t consumer_waiting;  /* set by the consumer, cleared by the producer */
};
_Static_assert(sizeof(struct ring_shared) == 128, "two cache lines");

struct ring_producer {
    struct ring_shared *shared;
    uint32_t capacity;       /* power of two, private */
    uint32_t tail;           /* private copy of our own index */
    uint32_t signalled_tail; /* tail when must_signal was last asked */
};

struct ring_consumer {
    struct ring_shared *shared;
    uint32_t capacity;
    uint32_t head;
    uint32_t signalled_head;
};

static inline bool ring_capacity_valid(uint32_t capacity)
{
    return capacity && !(capacity & (capacity - 1));
}

static inline uint32_t ring_load_acquire(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void ring_store_release(uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline void ring_full_barrier(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Both sides start from the indices found in shared memory (zero for a new
 * ring), so either side may attach first. The producer owns initialisation
 * of a fresh ring: ring_shared_reset before either side attaches. */
static inline void ring_shared_reset(struct ring_shared *s)
{
    s->tail = s->head = 0;
    s->producer_waiting = s->consumer_waiting = 0;
}

static inline void ring_producer_attach(struct ring_producer *p, struct ring_shared *s,
                                        uint32_t capacity)
{
    p->shared = s;
    p->capacity = capacity;
    p->tail = p->signalled_tail = __atomic_load_n(&s->tail, __ATOMIC_RELAXED);
}

static inline void ring_consumer_attach(struct ring_consumer *c, struct ring_shared *s,
                                        uint32_t capacity)
{
    c->shared = s;
    c->capacity = capacity;
    c->head = c->signalled_head = __atomic_load_n(&s->head, __ATOMIC_RELAXED);
}

/* Free slots for the producer, or -1 if the consumer's head is impossible. */
static inline int64_t ring_producer_space(const struct ring_producer *p)
{
    uint32_t used = p->tail - ring_load_acquire(&p->shared->head);
    return used > p->capacity ? -1 : (int64_t)(p->capacity - used);
}

/* Make n filled slots visible to the consumer. */
static inline void ring_producer_publish(struct ring_producer *p, uint32_t n)
{
    p->tail += n;
    ring_store_release(&p->shared->tail, p->tail);
}

/* Filled slots for the consumer, or -1 if the producer's tail is impossible. */
static inline int64_t ring_consumer_available(const struct ring_consumer *c)
{
    uint32_t used = ring_load_acquire(&c->shared->tail) - c->head;
    return used > c->capacity ? -1 : (int64_t)used;
}

/* Hand n consumed slots back to the producer. */
static inline void ring_consumer_release(struct ring_consumer *c, uint32_t n)
{
    c->head += n;
    ring_store_release(&c->shared->head, c->head);
}

/* After publishing: must the producer notify the consumer? Clears the
 * consumer's request if so. Only something published since the last call
 * can warrant a signal: the consumer saw everything older when it re-checked
 * after asking (and two PDs must not wake each other for nothing). */
static inline bool ring_producer_must_signal(struct ring_producer *p)
{
    if (p->tail == p->signalled_tail)
        return false;
    p->signalled_tail = p->tail;
    ring_full_barrier();
    if (!__atomic_load_n(&p->shared->consumer_waiting, __ATOMIC_RELAXED))
        return false;
    __atomic_store_n(&p->shared->consumer_waiting, 0, __ATOMIC_RELAXED);
    return true;
}

/* After releasing: must the consumer notify the producer (it waits for
 * space)? As above, only for slots released since the last call. */
static inline bool ring_consumer_must_signal(struct ring_consumer *c)
{
    if (c->head == c->signalled_head)
        return false;
    c->signalled_head = c->head;
    ring_full_barrier();
    if (!__atomic_load_n(&c->shared->producer_waiting, __ATOMIC_RELAXED))
        return false;
    __atomic_store_n(&c->shared->producer_waiting, 0, __ATOMIC_RELAXED);
    return true;
}

/* Has the consumer asked for a signal (and not been sent one since)? For
 * producers that hold items back until asked (net free queues). */
static inline bool ring_consumer_waiting(const struct ring_producer *p)
{
    ring_full_barrier();
    return __atomic_load_n(&p->shared->consumer_waiting, __ATOMIC_RELAXED);
}

/* The consumer is about to sleep: ask for a signal, then the caller must
 * check ring_consumer_available() once more before sleeping. */
static inline void ring_consumer_request_signal(struct ring_consumer *c)
{
    __atomic_store_n(&c->shared->consumer_waiting, 1, __ATOMIC_RELAXED);
    ring_full_barrier();
}

/* The consumer has taken everything and wants to sleep: asks for a signal
 * and re-checks. True if sleeping is safe; false if more arrived meanwhile
 * (keep consuming). A corrupt ring counts as nothing to consume. */
static inline bool ring_consumer_may_sleep(struct ring_consumer *c)
{
    ring_consumer_request_signal(c);
    return ring_consumer_available(c) <= 0;
}

/* The producer found the ring full: ask for a signal, then check
 * ring_producer_space() once more before sleeping. */
static inline void ring_producer_request_signal(struct ring_producer *p)
{
    __atomic_store_n(&p->shared->producer_waiting, 1, __ATOMIC_RELAXED);
    ring_full_barrier();
}

/* A queue of fixed records of 'type' right after the shared indices:
 * defines name_put (append a copy; false if full or corrupt) and
 * name_take (take a copy, since the neighbour may rewrite the slot: 1 if
 * taken, 0 if empty, -1 if the indices are impossible). */
#define RING_RECORD_QUEUE(name, type)                                                      \
    static inline type *name##_slot(struct ring_shared *ring, uint32_t index, uint32_t cap) \
    {                                                                                      \
        return (type *)(void *)(ring + 1) + (index & (cap - 1));                           \
    }                                                                                      \
    static inline bool name##_put(struct ring_producer *p, const type *record)             \
    {                                                                                      \
        if (ring_producer_space(p) <= 0)                                                   \
            return false;                                                                  \
        *name##_slot(p->shared, p->tail, p->capacity) = *record;                           \
        ring_producer_publish(p, 1);                                                       \
        return true;                                                                       \
    }                                                                                      \
    static inline int name##_take(struct ring_consumer *c, type *record)                   \
    {                                                                                      \
        int64_t n = ring_consumer_available(c);                                            \
        if (n <= 0)                                                                        \
            return n < 0 ? -1 : 0;                                                         \
        *record = *name##_slot(c->shared, c->head, c->capacity);                           \
        ring_consumer_release(c, 1);                                                       \
        return 1;                                                                          \
    }

#endif

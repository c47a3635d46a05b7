/*
 * Unit tests for the network descriptor queues (include/net/queue.h),
 * single-threaded, built with ASan/UBSan.
 *
 * Checks: descriptors go through intact and in order, full and empty are
 * reported, slots wrap around the ring and the 32-bit indices wrap at 2^32,
 * a full NET_QUEUE_CAPACITY queue fits its NET_QUEUE_REGION_SIZE region (the
 * region is a heap block of exactly that size, so ASan catches a slot beyond
 * it), a neighbour's impossible index is reported (false / -1) without any
 * side effect, and counted by the counting forms (net_give, net_take),
 * the "signal me" handshake works through net queues, and the
 * descriptor checks every hop shares (net_frame_check, net_empty_check):
 * a descriptor names a buffer only if it is one whole buffer of the region,
 * and otherwise it is right only with a length the frame-length policy (or
 * an empty buffer's 0) allows and a zero reserved field.
 *
 * A region names only whole buffers if its size is a multiple of
 * NET_BUFFER_SIZE (as every region in the system is); all regions here are.
 *
 * Prints one "PASS: net_unit_<case>" or "FAIL: net_unit_<case>: why" line
 * per case; exits non-zero if any case failed.
 */
#include <net/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_PREFIX "net_unit_"
#include "check.h"

static struct ring_shared *shared; /* a NET_QUEUE_REGION_SIZE heap block */
static struct ring_producer prod;
static struct ring_consumer cons;


/* Fresh queue of `capacity` slots whose indices both start at `start`,
 * attached from both sides; the slots are filled with a recognisable junk
 * pattern. */
static void setup(uint32_t capacity, uint32_t start)
{
    memset(shared, 0xA5, NET_QUEUE_REGION_SIZE);
    ring_shared_reset(shared);
    shared->tail = shared->head = start;
    ring_producer_attach(&prod, shared, capacity);
    ring_consumer_attach(&cons, shared, capacity);
}

/* Descriptor number i of a test stream: every field distinct and using
 * the high half of the offset, so a truncation or a mix-up shows. */
static struct net_desc desc_of(uint32_t i)
{
    return (struct net_desc){0x123400000000ull + (uint64_t)i * NET_BUFFER_SIZE, 60 + i % 1400,
                             0xC0DE0000u + i};
}

static int same_desc(struct net_desc a, struct net_desc b)
{
    return a.offset == b.offset && a.length == b.length && a.reserved == b.reserved;
}

/* ---- queue cases ---- */

static void test_empty(void)
{
    struct net_desc d = desc_of(99), before = d;
    setup(8, 0);
    CHECK(net_dequeue(&cons, &d) == 0);
    CHECK(same_desc(d, before)); /* untouched */
    CHECK(cons.head == 0 && shared->head == 0);
    CHECK(net_enqueue(&prod, desc_of(0)));
    CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(0)));
    CHECK(net_dequeue(&cons, &d) == 0);
    CHECK(cons.head == 1 && shared->head == 1);
}

static void test_full(void)
{
    struct net_desc d;
    setup(4, 0);
    for (uint32_t i = 0; i < 4; i++)
        CHECK(net_enqueue(&prod, desc_of(i)));
    CHECK(ring_producer_space(&prod) == 0);
    CHECK(!net_enqueue(&prod, desc_of(4)));
    CHECK(prod.tail == 4 && shared->tail == 4);
    CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(0)));
    CHECK(net_enqueue(&prod, desc_of(4))); /* one slot freed: room again */
    CHECK(!net_enqueue(&prod, desc_of(5)));
    for (uint32_t i = 1; i <= 4; i++)
        CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(i)));
    CHECK(net_dequeue(&cons, &d) == 0);
}

/* A queue of NET_QUEUE_CAPACITY slots fits its region: fill it completely,
 * twice over so every slot is written with a wrapped index too. */
static void test_full_size(void)
{
    struct net_desc d;
    setup(NET_QUEUE_CAPACITY, 0);
    for (uint32_t round = 0; round < 2; round++) {
        for (uint32_t i = 0; i < NET_QUEUE_CAPACITY; i++)
            CHECK(net_enqueue(&prod, desc_of(round * 1000 + i)));
        CHECK(!net_enqueue(&prod, desc_of(7)));
        for (uint32_t i = 0; i < NET_QUEUE_CAPACITY; i++)
            CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(round * 1000 + i)));
        CHECK(net_dequeue(&cons, &d) == 0);
    }
}

/* Slots wrap around a small ring while the 32-bit indices cross 2^32:
 * uneven bursts, order checked throughout. */
static void test_wrap(void)
{
    struct net_desc d;
    uint32_t sent = 0, got = 0;
    setup(4, 0xFFFFFFF9u);
    for (uint32_t rounds = 0; got < 300 && rounds < 1000; rounds++) {
        for (uint32_t k = 0; k < 1 + sent % 5; k++) {
            bool ok = net_enqueue(&prod, desc_of(sent));
            CHECK(ok == (sent - got < 4));
            if (ok)
                sent++;
        }
        for (uint32_t k = 0; k < 1 + got % 3; k++) {
            int r = net_dequeue(&cons, &d);
            CHECK(r == (got < sent ? 1 : 0));
            if (r == 1)
                CHECK(same_desc(d, desc_of(got++)));
        }
    }
    CHECK(got >= 300);
    CHECK(prod.tail == 0xFFFFFFF9u + sent && cons.head == 0xFFFFFFF9u + got);
    CHECK(prod.tail < 0x1000); /* really wrapped */
    /* Full and empty are still told apart right at the boundary. */
    setup(4, 0xFFFFFFFEu);
    for (uint32_t i = 0; i < 4; i++)
        CHECK(net_enqueue(&prod, desc_of(i)));
    CHECK(prod.tail == 2 && !net_enqueue(&prod, desc_of(4)));
    CHECK(ring_consumer_available(&cons) == 4);
    for (uint32_t i = 0; i < 4; i++)
        CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(i)));
    CHECK(net_dequeue(&cons, &d) == 0 && cons.head == 2);
}

/* The consumer sees a tail the producer cannot have written: -1, and
 * neither its index nor the output descriptor changes. */
static void test_corrupt_tail(void)
{
    static const uint32_t bad[] = {3 + 4 + 1, 3 - 1, 3 + 0x80000000u, 0xFFFFFFFFu};
    struct net_desc d;
    setup(4, 0);
    for (uint32_t i = 0; i < 5; i++)
        CHECK(net_enqueue(&prod, desc_of(i)) == (i < 4));
    for (uint32_t i = 0; i < 3; i++)
        CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(i))); /* head = 3 */
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        shared->tail = bad[i];
        d = desc_of(77);
        CHECK(net_dequeue(&cons, &d) == -1);
        CHECK(same_desc(d, desc_of(77)));
        CHECK(cons.head == 3 && shared->head == 3);
    }
    shared->tail = 3 + 4; /* exactly full is legal again */
    CHECK(ring_consumer_available(&cons) == 4);
    shared->tail = 4;
    CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(3)));
}

/* The producer sees a head the consumer cannot have written: false, no
 * slot written, its index unchanged. */
static void test_corrupt_head(void)
{
    static const uint32_t bad[] = {2 + 1, 2 - 4 - 1, 2 + 0x80000000u, 0xFFFFFFF0u};
    struct net_queue *q = (struct net_queue *)shared;
    struct net_desc d;
    setup(4, 0);
    CHECK(net_enqueue(&prod, desc_of(0)) && net_enqueue(&prod, desc_of(1))); /* tail = 2 */
    struct net_desc slot2 = q->slots[2];
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        shared->head = bad[i];
        CHECK(!net_enqueue(&prod, desc_of(9)));
        CHECK(prod.tail == 2 && shared->tail == 2);
        CHECK(memcmp(&q->slots[2], &slot2, sizeof slot2) == 0); /* not written */
    }
    shared->head = 0; /* back to the truth */
    CHECK(net_enqueue(&prod, desc_of(2)));
    CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(0)));
}

/* The counting forms: an impossible index is counted, once per call that
 * meets it; full and empty are no problem, and are not. */
static void test_counted(void)
{
    struct net_desc d;
    uint64_t bad_idx = 0;
    setup(2, 0);
    CHECK(!net_take(&cons, &d, &bad_idx) && bad_idx == 0); /* empty */
    CHECK(net_give(&prod, desc_of(0), &bad_idx) && net_give(&prod, desc_of(1), &bad_idx));
    CHECK(!net_give(&prod, desc_of(2), &bad_idx) && bad_idx == 0); /* full */
    CHECK(net_take(&cons, &d, &bad_idx) && same_desc(d, desc_of(0)) && bad_idx == 0);
    shared->head = 7; /* ahead of the tail */
    CHECK(!net_give(&prod, desc_of(2), &bad_idx) && bad_idx == 1 && prod.tail == 2);
    shared->head = 1;
    shared->tail = 9; /* further ahead than the queue is long */
    CHECK(!net_take(&cons, &d, &bad_idx) && bad_idx == 2 && cons.head == 1);
    CHECK(!net_take(&cons, &d, &bad_idx) && bad_idx == 3);
    shared->tail = 2;
    CHECK(net_take(&cons, &d, &bad_idx) && same_desc(d, desc_of(1)) && bad_idx == 3);
}

/* The "signal me" handshake of ring.h through net queues, both flags. */
static void test_signal(void)
{
    struct net_desc d;
    setup(2, 0);
    ring_consumer_request_signal(&cons);
    CHECK(net_dequeue(&cons, &d) == 0); /* the re-check: still empty */
    CHECK(net_enqueue(&prod, desc_of(0)));
    CHECK(ring_producer_must_signal(&prod));
    CHECK(shared->consumer_waiting == 0);
    CHECK(net_enqueue(&prod, desc_of(1)));
    CHECK(!ring_producer_must_signal(&prod)); /* exactly once */
    ring_producer_request_signal(&prod);
    CHECK(!net_enqueue(&prod, desc_of(2))); /* the re-check: still full */
    CHECK(net_dequeue(&cons, &d) == 1 && same_desc(d, desc_of(0)));
    CHECK(ring_consumer_must_signal(&cons));
    CHECK(shared->producer_waiting == 0);
    CHECK(net_enqueue(&prod, desc_of(2)));
}

/* ---- descriptor check cases ---- */

#define BASE 0x40000000ull
#define REGION 0x200000ull /* as the driver's DMA region */

static enum net_verdict frame(uint64_t offset, uint32_t length)
{
    return net_frame_check((struct net_desc){offset, length, 0}, BASE, REGION);
}

static enum net_verdict empty(uint64_t offset, uint32_t length)
{
    return net_empty_check((struct net_desc){offset, length, 0}, BASE, REGION);
}

/* Neither a frame nor an empty buffer: names nothing in the region. */
static bool no_buffer(uint64_t offset)
{
    return frame(offset, 60) == NET_DESC_NO_BUFFER && empty(offset, 0) == NET_DESC_NO_BUFFER;
}

static void test_check_accepts(void)
{
    for (uint64_t off = 0; off < REGION; off += NET_BUFFER_SIZE) {
        CHECK(frame(BASE + off, 60) == NET_DESC_OK);
        CHECK(empty(BASE + off, 0) == NET_DESC_OK);
    }
    CHECK(frame(BASE, NET_MIN_FRAME) == NET_DESC_OK); /* the limits themselves */
    CHECK(frame(BASE, NET_MAX_FRAME) == NET_DESC_OK);
    CHECK(frame(BASE + REGION - NET_BUFFER_SIZE, NET_MAX_FRAME) == NET_DESC_OK); /* last buffer */
    /* A region at address 0 (offsets rather than addresses). */
    CHECK(net_frame_check((struct net_desc){0, 60, 0}, 0, 4 * NET_BUFFER_SIZE) == NET_DESC_OK);
    CHECK(net_empty_check((struct net_desc){3 * NET_BUFFER_SIZE, 0, 0}, 0, 4 * NET_BUFFER_SIZE) ==
          NET_DESC_OK);
    /* A region ending exactly at the top of the address space. */
    CHECK(net_frame_check((struct net_desc){UINT64_MAX - NET_BUFFER_SIZE + 1, 60, 0},
                          UINT64_MAX - REGION + 1, REGION) == NET_DESC_OK);
}

static void test_check_rejects_range(void)
{
    CHECK(no_buffer(0));
    CHECK(no_buffer(BASE - NET_BUFFER_SIZE)); /* aligned, just below */
    CHECK(no_buffer(BASE - 1));
    CHECK(no_buffer(5)); /* offset - base wraps to a huge value */
    CHECK(no_buffer(BASE + REGION)); /* at the end */
    CHECK(no_buffer(BASE + REGION + NET_BUFFER_SIZE));
    CHECK(no_buffer(BASE + 4 * REGION));
    CHECK(no_buffer(BASE + 0x100000000ull)); /* the start, plus 2^32 */
    CHECK(no_buffer(BASE + 0x100000000ull + NET_BUFFER_SIZE));
    CHECK(no_buffer(UINT64_MAX));
    CHECK(no_buffer(UINT64_MAX - NET_BUFFER_SIZE + 1));
    /* Below a base at the top of the address space, and wrap-around past it. */
    CHECK(net_frame_check((struct net_desc){0, 60, 0}, UINT64_MAX - REGION + 1, REGION) ==
          NET_DESC_NO_BUFFER);
    CHECK(net_frame_check((struct net_desc){NET_BUFFER_SIZE, 60, 0}, UINT64_MAX - REGION + 1,
                          REGION) == NET_DESC_NO_BUFFER);
    /* An empty region holds nothing, nor does one smaller than a buffer. */
    CHECK(net_empty_check((struct net_desc){BASE, 0, 0}, BASE, 0) == NET_DESC_NO_BUFFER);
    CHECK(net_empty_check((struct net_desc){BASE, 0, 0}, BASE, NET_BUFFER_SIZE - 1) ==
          NET_DESC_NO_BUFFER);
}

static void test_check_rejects_misaligned(void)
{
    static const uint64_t in_buffer[] = {1, 2, 8, 64, 1024, NET_BUFFER_SIZE - 1};
    for (unsigned i = 0; i < sizeof in_buffer / sizeof in_buffer[0]; i++) {
        CHECK(no_buffer(BASE + in_buffer[i]));
        CHECK(no_buffer(BASE + 7 * NET_BUFFER_SIZE + in_buffer[i]));
        CHECK(no_buffer(BASE + REGION - NET_BUFFER_SIZE + in_buffer[i]));
    }
    /* Alignment is relative to the base, not to address 0. */
    CHECK(net_empty_check((struct net_desc){BASE + 512, 0, 0}, BASE + 512, REGION) == NET_DESC_OK);
    CHECK(net_empty_check((struct net_desc){BASE, 0, 0}, BASE + 512, REGION) == NET_DESC_NO_BUFFER);
    CHECK(net_empty_check((struct net_desc){BASE + NET_BUFFER_SIZE, 0, 0}, BASE + 512, REGION) ==
          NET_DESC_NO_BUFFER);
}

/* A frame's length: below an Ethernet header (zero above all: a virtio
 * device refuses a zero-sized buffer) or above Ethernet's limit, up to
 * values that overflow any addition. The buffer is still named. */
static void test_check_rejects_frame_length(void)
{
    static const uint32_t bad[] = {0, 1, NET_MIN_FRAME - 1, NET_MAX_FRAME + 1, NET_BUFFER_SIZE,
                                   NET_BUFFER_SIZE + 1, 0x80000000u, UINT32_MAX - NET_MIN_FRAME + 1,
                                   UINT32_MAX};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(frame(BASE, bad[i]) == NET_DESC_BAD_FIELDS);
        CHECK(frame(BASE + REGION - NET_BUFFER_SIZE, bad[i]) == NET_DESC_BAD_FIELDS);
        CHECK(!net_frame_length_valid(bad[i]));
    }
    /* The policy, against its definition, over every length a buffer holds and more. */
    for (uint32_t length = 0; length <= 2 * NET_BUFFER_SIZE; length++)
        CHECK(net_frame_length_valid(length) ==
              (length >= NET_MIN_FRAME && length <= NET_MAX_FRAME));
}

static void test_check_rejects_empty_length(void)
{
    static const uint32_t bad[] = {1, NET_MIN_FRAME, NET_MAX_FRAME, NET_BUFFER_SIZE, UINT32_MAX};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(empty(BASE, bad[i]) == NET_DESC_BAD_FIELDS);
}

static void test_check_rejects_reserved(void)
{
    static const uint32_t bad[] = {1, 0x80000000u, UINT32_MAX};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(net_frame_check((struct net_desc){BASE, 60, bad[i]}, BASE, REGION) ==
              NET_DESC_BAD_FIELDS);
        CHECK(net_empty_check((struct net_desc){BASE, 0, bad[i]}, BASE, REGION) ==
              NET_DESC_BAD_FIELDS);
    }
    /* Bad fields on no buffer: still no buffer, nothing to give back. */
    CHECK(net_frame_check((struct net_desc){BASE + 1, 0, 1}, BASE, REGION) == NET_DESC_NO_BUFFER);
}

/* An empty buffer is taken whenever it names one; each bad one is counted. */
static void test_empty_taken(void)
{
    uint64_t bad = 0;
    CHECK(net_empty_taken((struct net_desc){BASE, 0, 0}, BASE, REGION, &bad) && bad == 0);
    CHECK(net_empty_taken((struct net_desc){BASE, 60, 0}, BASE, REGION, &bad) && bad == 1);
    CHECK(net_empty_taken((struct net_desc){BASE, 0, 9}, BASE, REGION, &bad) && bad == 2);
    CHECK(!net_empty_taken((struct net_desc){BASE + 1, 0, 0}, BASE, REGION, &bad) && bad == 3);
    CHECK(!net_empty_taken((struct net_desc){BASE + REGION, 0, 0}, BASE, REGION, &bad) && bad == 4);
}

/* ---- runner ---- */

int main(void)
{
    shared = aligned_alloc(64, NET_QUEUE_REGION_SIZE);
    if (!shared) {
        printf("FAIL: net_unit: no memory for the queue region\n");
        return 1;
    }
    RUN(empty);
    RUN(full);
    RUN(full_size);
    RUN(wrap);
    RUN(corrupt_tail);
    RUN(corrupt_head);
    RUN(counted);
    RUN(signal);
    RUN(check_accepts);
    RUN(check_rejects_range);
    RUN(check_rejects_misaligned);
    RUN(check_rejects_frame_length);
    RUN(check_rejects_empty_length);
    RUN(check_rejects_reserved);
    RUN(empty_taken);
    free(shared);
    return failures ? 1 : 0;
}

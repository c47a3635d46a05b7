/*
 * Unit tests for the ring protocol (include/pride/ring.h) through the serial
 * byte queue built on it (include/serial/queue.h), single-threaded.
 *
 * Checks: empty and full behaviour, partial writes, exact reads, wrap-around
 * of the data area and of the 32-bit free-running indices, the "signal me"
 * handshake in both directions, and that a neighbour scribbling on shared
 * memory is reported as corruption and never changes a side's private index.
 * Built with ASan/UBSan, so an out-of-bounds slot or a bad shift also fails.
 *
 * Prints one "PASS: queue_unit_<case>" or "FAIL: queue_unit_<case>: why" line
 * per case; exits non-zero if any case failed.
 */
#include <serial/queue.h>

#include <stdalign.h>
#include <stdio.h>
#include <string.h>

#define TEST_PREFIX "queue_unit_"
#include "check.h"

#define MAX_CAPACITY 64u

/* One queue region: shared indices followed by the data bytes. */
static union {
    struct serial_queue queue;
    alignas(64) char bytes[sizeof(struct serial_queue) + MAX_CAPACITY];
} region;

static struct ring_shared *shared = &region.queue.ring;
static struct ring_producer prod;
static struct ring_consumer cons;


/* Fresh ring whose indices both start at `start`, attached from both sides. */
static void setup(uint32_t capacity, uint32_t start)
{
    memset(&region, 0xA5, sizeof region);
    ring_shared_reset(shared);
    shared->tail = shared->head = start;
    ring_producer_attach(&prod, shared, capacity);
    ring_consumer_attach(&cons, shared, capacity);
}

/* Deterministic test bytes: byte i of stream `seed`. */
static char pattern(uint32_t seed, uint32_t i)
{
    return (char)((i * 131u + seed * 7u + (i >> 3)) & 0xFF);
}

static void fill(char *buf, uint32_t seed, uint32_t from, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        buf[i] = pattern(seed, from + i);
}

static int matches(const char *buf, uint32_t seed, uint32_t from, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++)
        if (buf[i] != pattern(seed, from + i))
            return 0;
    return 1;
}

/* ---- cases ---- */

static void test_empty(void)
{
    char buf[8];
    setup(16, 0);
    CHECK(ring_consumer_available(&cons) == 0);
    CHECK(ring_producer_space(&prod) == 16);
    CHECK(serial_queue_read(&cons, buf, sizeof buf) == 0);
    CHECK(cons.head == 0 && shared->head == 0);
    CHECK(serial_queue_write(&prod, buf, 0) == 0);
    CHECK(ring_consumer_available(&cons) == 0);
}

static void test_full(void)
{
    char in[24], out[24];
    setup(16, 0);
    fill(in, 1, 0, sizeof in);
    CHECK(serial_queue_write(&prod, in, sizeof in) == 16);
    CHECK(ring_producer_space(&prod) == 0);
    CHECK(ring_consumer_available(&cons) == 16);
    CHECK(serial_queue_write(&prod, in + 16, 8) == 0);
    CHECK(prod.tail == 16 && shared->tail == 16);
    CHECK(serial_queue_read(&cons, out, sizeof out) == 16);
    CHECK(matches(out, 1, 0, 16));
    CHECK(ring_producer_space(&prod) == 16);
}

static void test_partial_write(void)
{
    char in[16], out[16];
    setup(8, 0);
    fill(in, 2, 0, sizeof in);
    CHECK(serial_queue_write(&prod, in, 6) == 6);
    CHECK(serial_queue_write(&prod, in + 6, 5) == 2);
    CHECK(ring_producer_space(&prod) == 0);
    CHECK(serial_queue_read(&cons, out, 3) == 3);
    CHECK(matches(out, 2, 0, 3));
    CHECK(serial_queue_write(&prod, in + 8, 8) == 3);
    CHECK(serial_queue_read(&cons, out, sizeof out) == 8);
    CHECK(matches(out, 2, 3, 8));
}

static void test_exact_read(void)
{
    char in[5], out[32];
    setup(32, 0);
    fill(in, 3, 0, sizeof in);
    memset(out, 0, sizeof out);
    CHECK(serial_queue_write(&prod, in, 5) == 5);
    CHECK(serial_queue_read(&cons, out, 2) == 2);
    CHECK(serial_queue_read(&cons, out + 2, sizeof out - 2) == 3);
    CHECK(matches(out, 3, 0, 5));
    CHECK(out[5] == 0); /* nothing beyond what was written */
    CHECK(serial_queue_read(&cons, out, sizeof out) == 0);
    CHECK(cons.head == 5 && shared->head == 5);
}

static void test_data_wrap(void)
{
    char in[8], out[8];
    setup(8, 0);
    fill(in, 4, 0, 8);
    CHECK(serial_queue_write(&prod, in, 5) == 5);
    CHECK(serial_queue_read(&cons, out, 5) == 5);
    fill(in, 4, 5, 7); /* occupies slots 5,6,7,0,1,2,3 */
    CHECK(serial_queue_write(&prod, in, 7) == 7);
    CHECK(region.queue.data[0] == pattern(4, 8));
    CHECK(serial_queue_read(&cons, out, 8) == 7);
    CHECK(matches(out, 4, 5, 7));
}

/* Stream 1000 bytes in uneven chunks across the 2^32 index boundary. */
static void test_index_wrap(void)
{
    char in[13], out[13];
    uint32_t sent = 0, got = 0;
    setup(16, 0xFFFFFFF0u);
    while (got < 1000) {
        uint32_t w = 1 + sent % 13;
        fill(in, 5, sent, w);
        int64_t n = serial_queue_write(&prod, in, w);
        CHECK(n >= 0);
        sent += (uint32_t)n;
        int64_t r = serial_queue_read(&cons, out, 1 + got % 11);
        CHECK(r >= 0 && matches(out, 5, got, (uint32_t)r));
        got += (uint32_t)r;
        CHECK(sent - got <= 16 && ring_consumer_available(&cons) == sent - got);
    }
    CHECK(prod.tail == 0xFFFFFFF0u + sent && cons.head == 0xFFFFFFF0u + got);
    CHECK(prod.tail < 0x1000); /* really wrapped */
}

/* Full and empty are still told apart when tail has wrapped and head not. */
static void test_index_wrap_full(void)
{
    char in[8], out[8];
    setup(8, 0xFFFFFFFCu);
    fill(in, 6, 0, 8);
    CHECK(serial_queue_write(&prod, in, 8) == 8);
    CHECK(prod.tail == 4 && shared->head == 0xFFFFFFFCu);
    CHECK(ring_producer_space(&prod) == 0);
    CHECK(ring_consumer_available(&cons) == 8);
    CHECK(serial_queue_read(&cons, out, 8) == 8 && matches(out, 6, 0, 8));
    CHECK(ring_consumer_available(&cons) == 0 && ring_producer_space(&prod) == 8);
}

static void test_signal_consumer_waiting(void)
{
    char c = 'x';
    setup(8, 0);
    ring_consumer_request_signal(&cons);
    CHECK(shared->consumer_waiting == 1);
    CHECK(serial_queue_write(&prod, &c, 1) == 1);
    CHECK(ring_producer_must_signal(&prod));
    CHECK(shared->consumer_waiting == 0);
    CHECK(serial_queue_write(&prod, &c, 1) == 1);
    CHECK(!ring_producer_must_signal(&prod)); /* exactly once */
    CHECK(!ring_consumer_must_signal(&cons)); /* other flag untouched */
}

static void test_signal_none_requested(void)
{
    char c = 'y';
    setup(8, 0);
    CHECK(serial_queue_write(&prod, &c, 1) == 1);
    CHECK(!ring_producer_must_signal(&prod));
    CHECK(serial_queue_read(&cons, &c, 1) == 1);
    CHECK(!ring_consumer_must_signal(&cons));
    CHECK(shared->consumer_waiting == 0 && shared->producer_waiting == 0);
}

static void test_signal_producer_waiting(void)
{
    char in[8], out[2];
    setup(8, 0);
    fill(in, 7, 0, 8);
    CHECK(serial_queue_write(&prod, in, 8) == 8);
    ring_producer_request_signal(&prod);
    CHECK(shared->producer_waiting == 1);
    CHECK(ring_producer_space(&prod) == 0); /* the re-check: still full */
    CHECK(serial_queue_read(&cons, out, 2) == 2);
    CHECK(ring_consumer_must_signal(&cons));
    CHECK(shared->producer_waiting == 0);
    CHECK(serial_queue_read(&cons, out, 2) == 2);
    CHECK(!ring_consumer_must_signal(&cons));
    CHECK(!ring_producer_must_signal(&prod));
}

/* The producer sees a head that would make tail - head exceed capacity. */
static void test_corrupt_head(void)
{
    static const uint32_t bad[] = {5 + 1, 5 - 8 - 1, 5 + 0x80000000u, 0xFFFFFFF0u};
    char in[4] = "abc";
    setup(8, 0);
    CHECK(serial_queue_write(&prod, in, 3) == 3);
    CHECK(serial_queue_write(&prod, in, 2) == 2); /* tail = 5 */
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        shared->head = bad[i];
        CHECK(ring_producer_space(&prod) == -1);
        CHECK(serial_queue_write(&prod, in, 1) == SERIAL_QUEUE_CORRUPT);
        CHECK(prod.tail == 5 && shared->tail == 5);
    }
    shared->head = 5 - 8; /* exactly full is legal */
    CHECK(ring_producer_space(&prod) == 0);
    shared->head = 5; /* exactly empty is legal */
    CHECK(ring_producer_space(&prod) == 8);
}

/* The consumer sees a tail that would make tail - head exceed capacity. */
static void test_corrupt_tail(void)
{
    static const uint32_t bad[] = {3 + 8 + 1, 3 - 1, 3 + 0x80000000u, 0xFFFFFFFFu};
    char out[16] = {0};
    setup(8, 0);
    CHECK(serial_queue_write(&prod, "abcdef", 6) == 6);
    CHECK(serial_queue_read(&cons, out, 3) == 3); /* head = 3 */
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        shared->tail = bad[i];
        CHECK(ring_consumer_available(&cons) == -1);
        CHECK(serial_queue_read(&cons, out, sizeof out) == SERIAL_QUEUE_CORRUPT);
        CHECK(cons.head == 3 && shared->head == 3);
    }
    shared->tail = 3 + 8; /* exactly full is legal */
    CHECK(ring_consumer_available(&cons) == 8);
    shared->tail = 6;
    CHECK(serial_queue_read(&cons, out, sizeof out) == 3 && memcmp(out, "def", 3) == 0);
}

/* A neighbour overwrites the index the other side publishes about itself:
 * the victim keeps its private index and its next publication repairs it. */
static void test_hostile_own_index(void)
{
    char in[8], out[8];
    setup(8, 0);
    fill(in, 9, 0, 8);
    CHECK(serial_queue_write(&prod, in, 4) == 4);
    shared->tail = 1000; /* consumer scribbles on the producer's index */
    CHECK(prod.tail == 4);
    CHECK(ring_producer_space(&prod) == 4); /* computed from private tail */
    CHECK(serial_queue_write(&prod, in + 4, 2) == 2);
    CHECK(prod.tail == 6 && shared->tail == 6);

    CHECK(serial_queue_read(&cons, out, 3) == 3 && matches(out, 9, 0, 3));
    shared->head = 77; /* producer scribbles on the consumer's index */
    CHECK(cons.head == 3);
    CHECK(ring_consumer_available(&cons) == 3); /* computed from private head */
    CHECK(serial_queue_read(&cons, out, 8) == 3 && matches(out, 9, 3, 3));
    CHECK(cons.head == 6 && shared->head == 6);
}

/* Attaching picks up the indices already in shared memory. */
static void test_attach_existing(void)
{
    char out[4];
    setup(8, 0);
    CHECK(serial_queue_write(&prod, "wxyz", 4) == 4);
    CHECK(serial_queue_read(&cons, out, 1) == 1);
    ring_consumer_attach(&cons, shared, 8);
    ring_producer_attach(&prod, shared, 8);
    CHECK(cons.head == 1 && prod.tail == 4);
    CHECK(serial_queue_read(&cons, out, 4) == 3 && memcmp(out, "xyz", 3) == 0);
}

/* ---- runner ---- */

int main(void)
{
    RUN(empty);
    RUN(full);
    RUN(partial_write);
    RUN(exact_read);
    RUN(data_wrap);
    RUN(index_wrap);
    RUN(index_wrap_full);
    RUN(signal_consumer_waiting);
    RUN(signal_none_requested);
    RUN(signal_producer_waiting);
    RUN(corrupt_head);
    RUN(corrupt_tail);
    RUN(hostile_own_index);
    RUN(attach_existing);
    return failures ? 1 : 0;
}

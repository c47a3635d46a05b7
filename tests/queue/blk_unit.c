/*
 * Unit tests for the block protocol (include/blk/queue.h), single-threaded,
 * built with ASan/UBSan.
 *
 * Checks: requests and responses go through intact and in order, full and
 * empty are reported, the indices wrap at 2^32, a full queue fits its
 * BLK_QUEUE_REGION_SIZE region (a heap block of exactly that size, so ASan
 * catches a slot beyond it), an impossible index is reported (-1 / false)
 * and changes nothing; and blk_request_check accepts exactly what may be
 * followed: each rule at its edge, sums that would wrap, read-only storage,
 * and, for 200,000 random requests, that whatever it accepts lies wholly
 * inside the data region and the storage (checked in 128-bit arithmetic).
 *
 * Prints one "PASS: blk_unit_<case>" or "FAIL: blk_unit_<case>: why" line
 * per case; exits non-zero if any case failed.
 */
#include <blk/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_PREFIX "blk_unit_"
#include "check.h"

static const struct blk_limits limits = {0x100000, 8192, false}; /* 1 MiB region, 4 MiB disk */

static enum blk_status check(uint32_t op, uint64_t offset, uint64_t block, uint32_t count)
{
    struct blk_request r = {op, 7, offset, block, count, 0};
    return blk_request_check(&r, &limits);
}

static void test_good_requests(void)
{
    CHECK(check(BLK_READ, 0, 0, 1) == BLK_OK);
    CHECK(check(BLK_WRITE, 512, 100, BLK_MAX_SECTORS) == BLK_OK);
    CHECK(check(BLK_FLUSH, 0, 0, 0) == BLK_OK);
    CHECK(check(BLK_BARRIER, 0, 0, 0) == BLK_OK);
    /* exactly at the ends */
    CHECK(check(BLK_READ, limits.data_size - 512, 0, 1) == BLK_OK);
    CHECK(check(BLK_READ, 0, limits.capacity - 1, 1) == BLK_OK);
}

static void test_bad_fields(void)
{
    CHECK(check(0, 0, 0, 1) == BLK_ERR_BAD_REQUEST);
    CHECK(check(5, 0, 0, 1) == BLK_ERR_BAD_REQUEST);
    CHECK(check(UINT32_MAX, 0, 0, 1) == BLK_ERR_BAD_REQUEST);
    CHECK(check(BLK_READ, 0, 0, 0) == BLK_ERR_BAD_REQUEST);
    CHECK(check(BLK_READ, 0, 0, BLK_MAX_SECTORS + 1) == BLK_ERR_BAD_REQUEST);
    CHECK(check(BLK_READ, 1, 0, 1) == BLK_ERR_BAD_REQUEST);
    CHECK(check(BLK_READ, 511, 0, 1) == BLK_ERR_BAD_REQUEST);
    CHECK(check(BLK_FLUSH, 0, 1, 0) == BLK_ERR_BAD_REQUEST);
    CHECK(check(BLK_FLUSH, 0, 0, 1) == BLK_ERR_BAD_REQUEST);
    CHECK(check(BLK_BARRIER, 512, 0, 0) == BLK_ERR_BAD_REQUEST);
    struct blk_request r = {BLK_READ, 1, 0, 0, 1, 1};
    CHECK(blk_request_check(&r, &limits) == BLK_ERR_BAD_REQUEST); /* reserved set */
}

static void test_ranges(void)
{
    CHECK(check(BLK_READ, limits.data_size - 512, 0, 2) == BLK_ERR_RANGE);
    CHECK(check(BLK_READ, limits.data_size, 0, 1) == BLK_ERR_RANGE);
    CHECK(check(BLK_READ, UINT64_MAX - 511, 0, 2) == BLK_ERR_RANGE); /* the sum would wrap */
    CHECK(check(BLK_READ, 0, limits.capacity, 1) == BLK_ERR_RANGE);
    CHECK(check(BLK_READ, 0, limits.capacity - 1, 2) == BLK_ERR_RANGE);
    CHECK(check(BLK_READ, 0, UINT64_MAX, 2) == BLK_ERR_RANGE); /* wraps too */
}

static void test_read_only(void)
{
    const struct blk_limits ro = {limits.data_size, limits.capacity, true};
    struct blk_request w = {BLK_WRITE, 1, 0, 0, 1, 0}, r = {BLK_READ, 1, 0, 0, 1, 0};
    CHECK(blk_request_check(&w, &ro) == BLK_ERR_READ_ONLY);
    CHECK(blk_request_check(&r, &ro) == BLK_OK);
    w.block = ro.capacity; /* out of range first: the storage's size is no secret */
    CHECK(blk_request_check(&w, &ro) == BLK_ERR_RANGE);
}

/* Values near the edges are where mistakes hide: mostly pick from them. */
static uint64_t edgy(uint64_t *state, uint64_t edge)
{
    uint64_t r = next_random(state);
    switch (r % 4) {
    case 0: return r;
    case 1: return edge - (r >> 32) % 1024;
    case 2: return (r >> 32) % 2048 * 512;
    default: return UINT64_MAX - (r >> 40);
    }
}

static void test_random_requests_stay_inside(void)
{
    uint64_t state = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 200000; i++) {
        struct blk_request r = {(uint32_t)(next_random(&state) % 6), 0,
                                edgy(&state, limits.data_size), edgy(&state, limits.capacity),
                                (uint32_t)(next_random(&state) % (BLK_MAX_SECTORS + 3)), 0};
        if (blk_request_check(&r, &limits) != BLK_OK || !blk_data_op(r.op))
            continue;
        unsigned __int128 end = (unsigned __int128)r.offset + (unsigned __int128)r.count * 512;
        CHECK(end <= limits.data_size && r.offset % 512 == 0);
        CHECK((unsigned __int128)r.block + r.count <= limits.capacity);
        CHECK(r.count >= 1 && r.count <= BLK_MAX_SECTORS);
    }
}

static struct ring_shared *new_region(void)
{
    struct ring_shared *s = calloc(1, BLK_QUEUE_REGION_SIZE);
    ring_shared_reset(s);
    return s;
}

static void test_full_queue_round_trip(void)
{
    struct ring_shared *s = new_region();
    struct ring_producer p;
    struct ring_consumer c;
    ring_producer_attach(&p, s, BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&c, s, BLK_QUEUE_CAPACITY);
    for (uint32_t round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < BLK_QUEUE_CAPACITY; i++) {
            struct blk_request r = {BLK_READ, i, i * 512, round, 1, 0};
            CHECK(blk_request_put(&p, &r));
        }
        struct blk_request extra = {BLK_READ, 0, 0, 0, 1, 0}, got;
        CHECK(!blk_request_put(&p, &extra)); /* full */
        for (uint32_t i = 0; i < BLK_QUEUE_CAPACITY; i++)
            CHECK(blk_request_take(&c, &got) == 1 && got.id == i && got.block == round);
        CHECK(blk_request_take(&c, &got) == 0); /* empty */
    }
    free(s);
}

static void test_responses_wrap_at_2_32(void)
{
    struct ring_shared *s = new_region();
    s->tail = s->head = UINT32_MAX - 2;
    struct ring_producer p;
    struct ring_consumer c;
    ring_producer_attach(&p, s, BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&c, s, BLK_QUEUE_CAPACITY);
    for (uint32_t i = 0; i < 8; i++) {
        struct blk_response r = {i, BLK_OK, i, 0}, got;
        CHECK(blk_response_put(&p, &r));
        CHECK(blk_response_take(&c, &got) == 1 && got.id == i && got.count == i);
    }
    free(s);
}

static void test_impossible_indices(void)
{
    struct ring_shared *s = new_region();
    struct ring_producer p;
    struct ring_consumer c;
    ring_producer_attach(&p, s, BLK_QUEUE_CAPACITY);
    ring_consumer_attach(&c, s, BLK_QUEUE_CAPACITY);
    s->tail = BLK_QUEUE_CAPACITY + 1; /* more than a queue can hold */
    struct blk_request got = {0};
    CHECK(blk_request_take(&c, &got) == -1 && got.op == 0 && c.head == 0);
    s->tail = 0;
    s->head = 5; /* the consumer claims to have read what was never written */
    struct blk_response r = {1, BLK_OK, 1, 0};
    CHECK(!blk_response_put(&p, &r) && p.tail == 0);
    free(s);
}

int main(void)
{
    RUN(good_requests);
    RUN(bad_fields);
    RUN(ranges);
    RUN(read_only);
    RUN(random_requests_stay_inside);
    RUN(full_queue_round_trip);
    RUN(responses_wrap_at_2_32);
    RUN(impossible_indices);
    return failures != 0;
}

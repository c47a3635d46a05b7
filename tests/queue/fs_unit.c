/*
 * Unit tests for the file-system protocol (include/fs/protocol.h),
 * single-threaded, built with ASan/UBSan.
 *
 * Checks: fs_command_check accepts exactly what a server may follow: every
 * op's data (and path, and RENAME's second path, and STAT's answer in its
 * path's place) inside the region at its edges, lengths that would wrap,
 * unknown ops and flags; and, for 200,000 random commands near the edges,
 * that whatever it accepts touches only the region (checked in 128-bit
 * arithmetic) with paths of 1..FS_PATH_MAX bytes. Also that a full command
 * queue fits its region (ASan sees a slot beyond it) and an impossible
 * index changes nothing.
 *
 * Prints one "PASS: fs_unit_<case>" or "FAIL: fs_unit_<case>: why" line per
 * case; exits non-zero if any case failed.
 */
#include <fs/protocol.h>

#include <stdio.h>
#include <stdlib.h>

#define TEST_PREFIX "fs_unit_"
#include "check.h"

#define REGION 0x10000u

static enum fs_status check(uint32_t op, uint32_t flags, uint64_t at, uint32_t count,
                            uint32_t count2)
{
    struct fs_command c = {op, 1, 0, flags, 0, at, count, count2};
    return fs_command_check(&c, REGION);
}

static void test_good_commands(void)
{
    CHECK(check(FS_OPEN, FS_O_WRITE | FS_O_CREATE, 0, 5, 0) == FS_OK);
    CHECK(check(FS_READ, 0, 0, REGION, 0) == FS_OK);
    CHECK(check(FS_WRITE, FS_WRITE_APPEND, REGION - 1, 1, 0) == FS_OK);
    CHECK(check(FS_WRITE, 0, REGION, 0, 0) == FS_OK); /* nothing, at the very end */
    CHECK(check(FS_RENAME, 0, REGION - 20, 10, 10) == FS_OK);
    CHECK(check(FS_STAT, 0, REGION - sizeof(struct fs_stat), 3, 0) == FS_OK);
    CHECK(check(FS_OPEN, FS_O_STAT, REGION - sizeof(struct fs_stat), 3, 0) == FS_OK);
    CHECK(check(FS_OPEN, 0, REGION - 3, 3, 0) == FS_OK); /* no status: the path's room only */
    CHECK(check(FS_READDIR, 0, REGION - sizeof(struct fs_dirent), 0, 0) == FS_OK);
    CHECK(check(FS_STATFS, 0, 0, 0, 0) == FS_OK);
    CHECK(check(FS_SYNC, 0, 0, 0, 0) == FS_OK);
}

static void test_bad_commands(void)
{
    CHECK(check(0, 0, 0, 0, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_OP_LIMIT, 0, 0, 0, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(UINT32_MAX, 0, 0, 0, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_OPEN, FS_O_ALL + 1, 0, 5, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_OPEN, FS_O_STAT, REGION - 3, 3, 0) == FS_ERR_BAD_REQUEST); /* no room for it */
    CHECK(check(FS_READ, FS_WRITE_APPEND, 0, 5, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_OPEN, 0, 0, 0, 0) == FS_ERR_BAD_REQUEST);        /* an empty path */
    CHECK(check(FS_RENAME, 0, 0, 5, 0) == FS_ERR_BAD_REQUEST);      /* no second path */
    CHECK(check(FS_UNLINK, 0, 0, 5, 5) == FS_ERR_BAD_REQUEST);      /* count2 elsewhere */
    CHECK(check(FS_OPEN, 0, 0, FS_PATH_MAX + 1, 0) == FS_ERR_NAME);
    CHECK(check(FS_RENAME, 0, 0, 5, FS_PATH_MAX + 1) == FS_ERR_NAME);
}

static void test_ranges(void)
{
    CHECK(check(FS_READ, 0, REGION, 1, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_READ, 0, REGION + 1, 0, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_READ, 0, 1, REGION, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_WRITE, 0, UINT64_MAX, 2, 0) == FS_ERR_BAD_REQUEST);      /* would wrap */
    CHECK(check(FS_READ, 0, 0, UINT32_MAX, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_RENAME, 0, REGION - 19, 10, 10) == FS_ERR_BAD_REQUEST);  /* second path out */
    CHECK(check(FS_STAT, 0, REGION - sizeof(struct fs_stat) + 1, 3, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_STAT, 0, REGION - 100, 101, 0) == FS_ERR_BAD_REQUEST);   /* its path out */
    CHECK(check(FS_FSTAT, 0, REGION - 1, 0, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_READDIR, 0, REGION - sizeof(struct fs_dirent) + 1, 0, 0) == FS_ERR_BAD_REQUEST);
    CHECK(check(FS_STATFS, 0, REGION, 0, 0) == FS_ERR_BAD_REQUEST);
}

/* Values near the edges are where mistakes hide: mostly pick from them. */
static uint64_t edgy(uint64_t *state, uint64_t edge)
{
    uint64_t r = next_random(state);
    switch (r % 4) {
    case 0: return r;
    case 1: return edge - (r >> 32) % 2048;
    case 2: return (r >> 32) % 2048;
    default: return UINT64_MAX - (r >> 40);
    }
}

static void test_random_commands_stay_inside(void)
{
    uint64_t state = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 200000; i++) {
        struct fs_command c = {(uint32_t)(next_random(&state) % (FS_OP_LIMIT + 2)), 0, 0,
                               (uint32_t)(next_random(&state) % 64), 0, edgy(&state, REGION),
                               (uint32_t)edgy(&state, REGION), (uint32_t)edgy(&state, FS_PATH_MAX)};
        if (fs_command_check(&c, REGION) != FS_OK)
            continue;
        unsigned __int128 end = (unsigned __int128)c.data_offset + c.count + c.count2;
        CHECK(end <= REGION);
        CHECK((unsigned __int128)c.data_offset + fs_command_data_bytes(&c) <= REGION);
        if (fs_has_path(c.op))
            CHECK(c.count >= 1 && c.count <= FS_PATH_MAX && c.count2 <= FS_PATH_MAX);
        if (c.op != FS_RENAME)
            CHECK(c.count2 == 0);
    }
}

static void test_queue_fits_and_refuses_impossible_index(void)
{
    struct ring_shared *s = calloc(1, FS_QUEUE_REGION_SIZE);
    struct ring_producer p;
    struct ring_consumer c;
    ring_shared_reset(s);
    ring_producer_attach(&p, s, FS_QUEUE_CAPACITY);
    ring_consumer_attach(&c, s, FS_QUEUE_CAPACITY);
    struct fs_command cmd = {FS_SYNC, 0, 0, 0, 0, 0, 0, 0}, got;
    for (uint32_t i = 0; i < FS_QUEUE_CAPACITY; i++)
        CHECK(fs_command_put(&p, &(struct fs_command){FS_READ, i, 0, 0, 0, 0, 0, 0}));
    CHECK(!fs_command_put(&p, &cmd)); /* full */
    for (uint32_t i = 0; i < FS_QUEUE_CAPACITY; i++)
        CHECK(fs_command_take(&c, &got) == 1 && got.id == i);
    s->tail = c.head + FS_QUEUE_CAPACITY + 1;
    CHECK(fs_command_take(&c, &got) == -1 && c.head == FS_QUEUE_CAPACITY);
    free(s);
}

int main(void)
{
    RUN(good_commands);
    RUN(bad_commands);
    RUN(ranges);
    RUN(random_commands_stay_inside);
    RUN(queue_fits_and_refuses_impossible_index);
    return failures != 0;
}

/*
 * The block protocol: a client (or the block virtualiser) sends requests
 * on a request queue and gets one response for each on a response queue,
 * both on the shared ring core (pride/ring.h), one page each. Data moves
 * by DMA between the device and the client's data region; a request names
 * a place in that region by offset. Block numbers and counts are in
 * BLK_SECTOR_SIZE units, as the device's.
 *
 * Operations: READ and WRITE of 1..BLK_MAX_SECTORS sectors; FLUSH (every
 * write completed before it is on stable storage when it completes: the
 * driver sends a real flush to the device); BARRIER (no request after it
 * starts before every request before it has completed). FLUSH is a
 * barrier too. Their block, count and offset must be 0.
 *
 * Every field a neighbour writes is checked (blk_request_check) before it
 * is followed; a bad request gets an error response and is counted, and
 * its data is never touched. Responses come in any order; a client
 * matches them by id, which it chooses and the server echoes.
 *
 * A storage-information page, written by the driver (or virtualiser) and
 * read-only for the client, says how large the storage is and when it is
 * ready. Plain C11: builds for the host (tests) and AArch64.
 */
#ifndef BLK_QUEUE_H
#define BLK_QUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <pride/ring.h>

#define BLK_SECTOR_SIZE 512
#define BLK_MAX_SECTORS 256 /* 128 KiB per request */
#define BLK_QUEUE_REGION_SIZE 0x1000
#define BLK_QUEUE_CAPACITY 64

enum blk_op {
    BLK_READ = 1,
    BLK_WRITE = 2,
    BLK_FLUSH = 3,
    BLK_BARRIER = 4,
};

/* Response status. */
enum blk_status {
    BLK_OK = 0,
    BLK_ERR_IO = 1,          /* the device reported an error */
    BLK_ERR_BAD_REQUEST = 2, /* unknown op, reserved field set, bad count or alignment */
    BLK_ERR_RANGE = 3,       /* blocks beyond the storage, or data beyond the region */
    BLK_ERR_READ_ONLY = 4,   /* a write to read-only storage */
    BLK_ERR_NOT_READY = 5,   /* the storage is not (or no longer) usable */
};

struct blk_request {
    uint32_t op;
    uint32_t id;     /* the client's; echoed in the response */
    uint64_t offset; /* of the data in the client's region, sector-aligned */
    uint64_t block;  /* first sector */
    uint32_t count;  /* sectors */
    uint32_t reserved;
};

struct blk_response {
    uint32_t id;
    uint32_t status; /* enum blk_status */
    uint32_t count;  /* sectors done */
    uint32_t reserved;
};

_Static_assert(sizeof(struct ring_shared) + BLK_QUEUE_CAPACITY * sizeof(struct blk_request) <=
                   BLK_QUEUE_REGION_SIZE,
               "request queue must fit its region");
_Static_assert(sizeof(struct ring_shared) + BLK_QUEUE_CAPACITY * sizeof(struct blk_response) <=
                   BLK_QUEUE_REGION_SIZE,
               "response queue must fit its region");
_Static_assert((BLK_QUEUE_CAPACITY & (BLK_QUEUE_CAPACITY - 1)) == 0,
               "capacity must be a power of two");

/* The storage-information page. 'ready' is written last (release), so a
 * client that sees it set (acquire) sees the rest. */
struct blk_storage_info {
    uint32_t ready;
    uint32_t read_only;
    uint64_t capacity;   /* sectors */
    uint32_t block_size; /* the device's preferred unit, bytes */
    uint32_t reserved;
};

/* What a request may touch: the client's data region and the storage. */
struct blk_limits {
    uint64_t data_size; /* bytes */
    uint64_t capacity;  /* sectors */
    bool read_only;
};

static inline bool blk_data_op(uint32_t op)
{
    return op == BLK_READ || op == BLK_WRITE;
}

/* BLK_OK if r may be followed as it is, otherwise the status to answer it
 * with. No sum here can overflow: each term is bounded first. */
static inline enum blk_status blk_request_check(const struct blk_request *r,
                                                const struct blk_limits *l)
{
    if (r->reserved || (!blk_data_op(r->op) && r->op != BLK_FLUSH && r->op != BLK_BARRIER))
        return BLK_ERR_BAD_REQUEST;
    if (!blk_data_op(r->op))
        return r->block || r->count || r->offset ? BLK_ERR_BAD_REQUEST : BLK_OK;
    if (!r->count || r->count > BLK_MAX_SECTORS || r->offset % BLK_SECTOR_SIZE)
        return BLK_ERR_BAD_REQUEST;
    uint64_t bytes = (uint64_t)r->count * BLK_SECTOR_SIZE;
    if (r->offset > l->data_size || bytes > l->data_size - r->offset)
        return BLK_ERR_RANGE;
    if (r->block > l->capacity || r->count > l->capacity - r->block)
        return BLK_ERR_RANGE;
    if (r->op == BLK_WRITE && l->read_only)
        return BLK_ERR_READ_ONLY;
    return BLK_OK;
}

/* blk_request_put/_take and blk_response_put/_take (pride/ring.h). */
RING_RECORD_QUEUE(blk_request, struct blk_request)
RING_RECORD_QUEUE(blk_response, struct blk_response)

#endif

/*
 * A hostile block client, next to two well-behaved ones on the same
 * virtualiser: once its storage is ready, and again whenever it is
 * notified, it fills its request queue with reads it never collects the
 * answers to, sends requests naming other ids than its own, then writes
 * an impossible tail index into the request queue and nudges the
 * virtualiser. It must get nowhere: the virtualiser stops taking its
 * requests when its response queue is full, counts the bad index, and
 * keeps serving the others (tests/blk).
 * Channel: BLK_CLIENT_CH, the virtualiser (blk/config.h).
 */
#include <microkit.h>
#include <pride_debug.h>
#include <blk/config.h>
#include <blk/queue.h>

PRIDE_CONFIG(struct blk_client_config, blk_client_config, BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION);

static struct ring_producer requests;
static unsigned attacks;

static void attack(void)
{
    const struct blk_client_config *c = pride_config(&blk_client_config);
    struct ring_shared *ring = (struct ring_shared *)(uintptr_t)c->requests;
    for (uint32_t id = 0; ring_producer_space(&requests) > 0; id++) {
        struct blk_request r = {BLK_READ, id * 0x10001u, 0, id, 1, 0}; /* ids the others use too */
        blk_request_put(&requests, &r);
    }
    __atomic_store_n(&ring->tail, requests.tail + 1000, __ATOMIC_RELEASE); /* impossible */
    microkit_notify(BLK_CLIENT_CH);
    if (++attacks == 1)
        microkit_dbg_puts("hostile: attacked\n");
}

void init(void)
{
    const struct blk_client_config *c = pride_config(&blk_client_config);
    ring_producer_attach(&requests, (struct ring_shared *)(uintptr_t)c->requests,
                         BLK_QUEUE_CAPACITY);
}

void notified(microkit_channel ch)
{
    const struct blk_client_config *c = pride_config(&blk_client_config);
    const volatile struct blk_storage_info *info =
        (const volatile struct blk_storage_info *)(uintptr_t)c->info;
    (void)ch;
    if (__atomic_load_n(&info->ready, __ATOMIC_ACQUIRE) && attacks < 100)
        attack();
}

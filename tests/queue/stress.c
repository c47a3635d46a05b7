/*
 * Two-thread stress test of the serial queue (include/serial/queue.h) and of
 * the ring signalling protocol under it (include/pride/ring.h).
 *
 * A producer thread writes a deterministic pseudo-random byte stream in
 * pseudo-random chunk sizes; a consumer thread reads it in other random
 * sizes and checks every byte. When a side cannot progress it follows the
 * real sleep protocol: request a signal, re-check the ring, and only then
 * wait on its binary notification, which the other side raises when
 * ring_*_must_signal() says so. A lost wakeup therefore shows up as a side
 * waiting for longer than WAIT_LIMIT_S; a wrong index or missing ordering as
 * a byte mismatch or a ThreadSanitizer report (build with -fsanitize=thread).
 *
 * Usage: stress [bytes [test-name]]. Prints one PASS/FAIL line; exits
 * non-zero on failure.
 */
#include <serial/queue.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAPACITY 1024u
#define MAX_CHUNK 1500u /* larger than CAPACITY: writes often come back short */
#define WAIT_LIMIT_S 10

/* A binary notification: raising it twice before a wait wakes the waiter once. */
struct note {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int pending;
};

struct side_stats {
    uint64_t sleeps;  /* waits on the notification */
    uint64_t signals; /* notifications raised for the other side */
};

static struct serial_queue *queue;
static struct note wake_consumer = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
static struct note wake_producer = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
static struct side_stats producer_stats, consumer_stats;
static uint64_t total_bytes = 10u * 1000 * 1000;
static const char *test_name = "queue_stress";

static void die(const char *why, uint64_t where)
{
    printf("FAIL: %s: %s (at byte %" PRIu64 ")\n", test_name, why, where);
    fflush(stdout);
    exit(1);
}

/* xorshift32: both threads derive the same stream from the same seed. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static uint32_t chunk_size(uint32_t *state)
{
    uint32_t r = next_random(state);
    /* Mostly small chunks, sometimes big ones, so both full and empty occur. */
    return 1 + (r & 0x100 ? r % MAX_CHUNK : r % 48);
}

static void notify(struct note *n)
{
    pthread_mutex_lock(&n->lock);
    n->pending = 1;
    pthread_cond_signal(&n->cond);
    pthread_mutex_unlock(&n->lock);
}

static void wait_for(struct note *n, uint64_t where)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += WAIT_LIMIT_S;
    pthread_mutex_lock(&n->lock);
    while (!n->pending)
        if (pthread_cond_timedwait(&n->cond, &n->lock, &deadline) == ETIMEDOUT)
            die(n == &wake_consumer ? "consumer never woken (lost wakeup)"
                                    : "producer never woken (lost wakeup)", where);
    n->pending = 0;
    pthread_mutex_unlock(&n->lock);
}

/* Producer: no space left, so ask for a signal, re-check, then sleep. */
static void producer_sleep(struct ring_producer *p, uint64_t sent)
{
    ring_producer_request_signal(p);
    int64_t space = ring_producer_space(p);
    if (space < 0)
        die("producer saw a corrupt head", sent);
    if (space > 0)
        return;
    producer_stats.sleeps++;
    wait_for(&wake_producer, sent);
}

static void *producer(void *arg)
{
    (void)arg;
    struct ring_producer p;
    uint32_t data_rng = 0x2545F491, size_rng = 0x9E3779B9;
    char chunk[MAX_CHUNK];
    uint32_t have = 0, done = 0; /* chunk[done..have) still to send */
    uint64_t sent = 0;

    ring_producer_attach(&p, &queue->ring, CAPACITY);
    while (sent < total_bytes) {
        if (done == have) {
            uint64_t left = total_bytes - sent;
            have = chunk_size(&size_rng);
            have = left < have ? (uint32_t)left : have;
            for (uint32_t i = 0; i < have; i++)
                chunk[i] = (char)next_random(&data_rng);
            done = 0;
        }
        int64_t n = serial_queue_write(&p, chunk + done, have - done);
        if (n < 0)
            die("producer write reported corruption", sent);
        if (n == 0) {
            producer_sleep(&p, sent);
            continue;
        }
        done += (uint32_t)n;
        sent += (uint64_t)n;
        if (ring_producer_must_signal(&p)) {
            producer_stats.signals++;
            notify(&wake_consumer);
        }
    }
    return NULL;
}

/* Consumer: nothing to read, so ask for a signal, re-check, then sleep. */
static void consumer_sleep(struct ring_consumer *c, uint64_t got)
{
    ring_consumer_request_signal(c);
    int64_t available = ring_consumer_available(c);
    if (available < 0)
        die("consumer saw a corrupt tail", got);
    if (available > 0)
        return;
    consumer_stats.sleeps++;
    wait_for(&wake_consumer, got);
}

static void check_bytes(const char *buf, uint32_t n, uint32_t *data_rng, uint64_t got)
{
    for (uint32_t i = 0; i < n; i++)
        if (buf[i] != (char)next_random(data_rng))
            die("byte out of order or corrupted", got + i);
}

static void *consumer(void *arg)
{
    (void)arg;
    struct ring_consumer c;
    uint32_t data_rng = 0x2545F491, size_rng = 0x6A09E667;
    char buf[MAX_CHUNK];
    uint64_t got = 0;

    ring_consumer_attach(&c, &queue->ring, CAPACITY);
    while (got < total_bytes) {
        int64_t n = serial_queue_read(&c, buf, chunk_size(&size_rng));
        if (n < 0)
            die("consumer read reported corruption", got);
        if (n == 0) {
            consumer_sleep(&c, got);
            continue;
        }
        check_bytes(buf, (uint32_t)n, &data_rng, got);
        got += (uint64_t)n;
        if (ring_consumer_must_signal(&c)) {
            consumer_stats.signals++;
            notify(&wake_producer);
        }
    }
    return NULL;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        total_bytes = strtoull(argv[1], NULL, 0);
    if (argc > 2)
        test_name = argv[2];
    queue = aligned_alloc(64, sizeof(struct serial_queue) + CAPACITY);
    if (!queue)
        die("out of memory", 0);
    ring_shared_reset(&queue->ring);

    pthread_t threads[2];
    double start = now();
    if (pthread_create(&threads[0], NULL, consumer, NULL) ||
        pthread_create(&threads[1], NULL, producer, NULL))
        die("pthread_create failed", 0);
    pthread_join(threads[0], NULL);
    pthread_join(threads[1], NULL);
    double seconds = now() - start;

    printf("PASS: %s: %" PRIu64 " bytes in %.2f s (%.1f MB/s); "
           "producer slept %" PRIu64 ", signalled %" PRIu64 "; "
           "consumer slept %" PRIu64 ", signalled %" PRIu64 "\n",
           test_name, total_bytes, seconds, (double)total_bytes / seconds / 1e6, producer_stats.sleeps,
           producer_stats.signals, consumer_stats.sleeps, consumer_stats.signals);
    free(queue);
    return 0;
}

/*
 * Store-buffering litmus test of the ring's "signal me" handshake
 * (include/pride/ring.h), run natively on real hardware.
 *
 * In every round both threads start together; the consumer requests a
 * signal and looks at the ring, while the producer publishes one slot and
 * asks whether it must signal. The full barriers in ring.h guarantee that
 * at least one of them sees the other: the consumer finds the slot or the
 * producer finds the request. A round where both miss is a lost wakeup.
 * Even x86, the most strongly ordered common host, reorders a store with a
 * later load, so this notices a missing or too-weak barrier, which the
 * ThreadSanitizer build cannot (it does not model fences).
 *
 * Usage: litmus [rounds]. Prints one PASS/FAIL line; exits non-zero on failure.
 */
#include <pride/ring.h>

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static struct ring_shared shared __attribute__((aligned(64)));
static struct ring_producer prod;
static struct ring_consumer cons;
static uint64_t rounds = 2000000;
static uint64_t lost; /* rounds where neither side saw the other */

/* Two-thread spin barrier; `phase` counts completed barriers. */
static unsigned arrived, phase;

static void barrier(void)
{
    unsigned my_phase = __atomic_load_n(&phase, __ATOMIC_ACQUIRE);
    if (__atomic_add_fetch(&arrived, 1, __ATOMIC_ACQ_REL) == 2) {
        __atomic_store_n(&arrived, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&phase, my_phase + 1, __ATOMIC_RELEASE);
        return;
    }
    for (unsigned spins = 0; __atomic_load_n(&phase, __ATOMIC_ACQUIRE) == my_phase; spins++)
        if (spins > 1000)
            sched_yield();
}

static void *producer(void *arg)
{
    bool *signalled = arg;
    for (uint64_t i = 0; i < rounds; i++) {
        barrier();
        ring_producer_publish(&prod, 1);
        *signalled = ring_producer_must_signal(&prod);
        barrier(); /* consumer judges and resets */
        barrier();
    }
    return NULL;
}

static void *consumer(void *arg)
{
    bool *signalled = arg;
    for (uint64_t i = 0; i < rounds; i++) {
        barrier();
        ring_consumer_request_signal(&cons);
        bool saw = ring_consumer_available(&cons) > 0;
        barrier();
        if (!saw && !*signalled)
            lost++;
        ring_consumer_release(&cons, (uint32_t)ring_consumer_available(&cons));
        __atomic_store_n(&shared.consumer_waiting, 0, __ATOMIC_RELAXED);
        barrier();
    }
    return NULL;
}

int main(int argc, char **argv)
{
    static bool signalled;
    pthread_t threads[2];

    if (argc > 1)
        rounds = strtoull(argv[1], NULL, 0);
    ring_shared_reset(&shared);
    ring_producer_attach(&prod, &shared, 1024);
    ring_consumer_attach(&cons, &shared, 1024);
    if (pthread_create(&threads[0], NULL, consumer, &signalled) ||
        pthread_create(&threads[1], NULL, producer, &signalled)) {
        printf("FAIL: queue_litmus: pthread_create failed\n");
        return 1;
    }
    pthread_join(threads[0], NULL);
    pthread_join(threads[1], NULL);
    if (lost) {
        printf("FAIL: queue_litmus: %" PRIu64 " of %" PRIu64 " rounds lost the wakeup\n",
               lost, rounds);
        return 1;
    }
    printf("PASS: queue_litmus: %" PRIu64 " racing request/publish rounds, no wakeup lost\n",
           rounds);
    return 0;
}

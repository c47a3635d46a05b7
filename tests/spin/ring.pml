/*
 * Promela model of the wakeup protocol of include/pride/ring.h.
 *
 * Checks that no wakeup is lost: a producer sending ITEMS items through a
 * ring of CAP slots and a consumer serving it forever, each sleeping when it
 * cannot progress, never end up both blocked with work left, and items
 * arrive in order. Safety only: invalid end states (a producer asleep for
 * ever is a deadlock) and the assertions below.
 *
 * Each Promela statement is atomic and sequentially consistent, which is
 * what the full barriers in ring.h provide around the flag accesses (store
 * flag; fence; load index  against  store index; fence; load flag). The
 * load and the clear of a "signal me" flag in ring_*_must_signal are two
 * separate steps, as in the C code. Notifications are binary: raising one
 * that is already pending has no effect; a wait consumes it.
 *
 * Defining CONSUMER_SKIPS_RECHECK breaks the protocol on purpose (see
 * ring_broken.pml).
 */

#define CAP   2
#define ITEMS 8   /* enough for a stale notification to matter */

byte tail, head;          /* free-running indices (no wrap within ITEMS) */
byte slot[CAP];
bit producer_waiting;     /* set by the producer, cleared by the consumer */
bit consumer_waiting;     /* set by the consumer, cleared by the producer */
bit wake_producer;        /* pending notifications */
bit wake_consumer;
bit producer_asleep, consumer_asleep, producer_done;
byte consumed;

/* Blocked: asleep with no notification pending, so nobody else can wake it. */
#define producer_blocked ((producer_asleep && !wake_producer) || producer_done)
#define consumer_blocked (consumer_asleep && !wake_consumer)

/* Sleep until the notification is raised, then consume it. */
inline producer_sleep()
{
    producer_asleep = 1;
    atomic { wake_producer -> wake_producer = 0; producer_asleep = 0 }
}

/* Same, but a consumer asleep for ever is a valid end: it is a server. The
 * monitor checks that it only sleeps for ever when nothing is left. */
inline consumer_sleep()
{
    consumer_asleep = 1;
end_asleep:
    atomic { wake_consumer -> wake_consumer = 0; consumer_asleep = 0 }
}

/* n := any value in 1..max (max >= 1): reads and writes move several slots
 * at once, as serial_queue_read/serial_queue_write do. */
inline choose(n, max)
{
    n = 1;
    do
    :: n < max -> n++
    :: break
    od
}

active proctype producer()
{
    byte next, used, n, k;
    bit flag;

    do
    :: next == ITEMS -> break
    :: else ->
        used = tail - head;                    /* ring_producer_space */
        assert(used <= CAP);
        if
        :: used < CAP ->
            atomic {                           /* fill free slots: private */
                choose(n, (CAP - used < ITEMS - next -> CAP - used : ITEMS - next));
                for (k : 0 .. n - 1) { slot[(tail + k) % CAP] = next + k }
            }
            tail = tail + n;                   /* publish (release) */
            next = next + n;
            flag = consumer_waiting;           /* must_signal, after the fence */
            if
            :: flag -> consumer_waiting = 0; wake_consumer = 1
            :: else
            fi
        :: else ->
            producer_waiting = 1;              /* request_signal, then fence */
            if
            :: tail - head < CAP               /* re-check: space after all */
            :: else -> producer_sleep()
            fi
        fi
    od;
    producer_done = 1
}

active proctype consumer()
{
    byte used, n, k;
    bit flag;

    do
    :: used = tail - head;                     /* ring_consumer_available */
        assert(used <= CAP);
        if
        :: used > 0 ->
            atomic {                           /* read filled slots: private */
                choose(n, used);
                for (k : 0 .. n - 1) {
                    assert(slot[(head + k) % CAP] == consumed);  /* in order */
                    consumed++
                }
            }
            head = head + n;                   /* release */
            flag = producer_waiting;           /* must_signal, after the fence */
            if
            :: flag -> producer_waiting = 0; wake_producer = 1
            :: else
            fi
        :: else ->
            consumer_waiting = 1;              /* request_signal, then fence */
#ifdef CONSUMER_SKIPS_RECHECK
            consumer_sleep()
#else
            if
            :: tail != head                    /* re-check: data after all */
            :: else -> consumer_sleep()
            fi
#endif
        fi
    od
}

/* Once both sides are blocked nothing can change any more: by then every
 * item must have been produced, handed over and consumed. */
active proctype monitor()
{
end_watching:
    atomic {
        producer_blocked && consumer_blocked ->
        assert(producer_done && tail == head && consumed == ITEMS)
    }
}

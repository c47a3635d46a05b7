/*
 * Promela model of the block protocol between a client and the virtio-blk
 * driver (include/blk/queue.h, drivers/blk/virtio/virtio_blk.c), with the
 * wakeup protocol of include/pride/ring.h on both queues.
 *
 * The client sends N requests on the request queue as room allows and
 * reads responses when it runs; request BARRIER_ID is a barrier, the
 * others are data requests. The driver takes requests, hands data
 * requests to a device that completes them in any order (each completion
 * raises the driver's interrupt), holds a barrier until nothing is in
 * flight, and answers each request on the response queue. The device has
 * more slots than the response queue has room, as in the real system, and
 * the client may fall behind in reading responses: the driver takes a
 * request only while the response queue has room for it and for all in
 * flight (the rule that keeps a slow client from losing responses).
 *
 * Each side asks for a signal and looks again before sleeping (a consumer
 * on an empty queue, a producer on a full one); after publishing or
 * releasing it notifies a side that asked. Notifications are sticky
 * binary flags. Each statement is atomic and sequentially consistent,
 * which is what ring.h's full barriers give around the flag accesses.
 *
 * Checked (safety, -DSAFETY):
 *  - the response queue never overflows (an answer is never lost);
 *  - every request is answered exactly once, and at the end all are;
 *  - a barrier is answered only after every earlier request completed,
 *    and no later request reaches the device before the barrier is done;
 *  - no invalid end state: only the client done and the driver asleep.
 *
 * Broken on purpose (blk_broken.pml): TAKE_WITHOUT_ROOM, the driver takes
 * requests whatever room the response queue has left.
 */

#define N 4          /* requests the client sends */
#define BARRIER_ID 2 /* this one is a barrier */
#define QCAP 2       /* slots per queue */
#define SLOTS 3      /* requests the device takes at once: more than QCAP */

byte rq[QCAP];
byte rq_tail, rq_head;
bit drv_wants_requests;  /* driver: consumer of the request queue */
bit cli_wants_rq_room;   /* client: producer waiting for request room */

byte rs[QCAP];
byte rs_tail, rs_head;
bit cli_wants_responses; /* client: consumer of the response queue */
bit drv_wants_rs_room;   /* driver: waiting for response room */

bit wake_drv, wake_cli;

/* The device's slots: busy, done, which request. */
bit busy[SLOTS], done[SLOTS];
byte slot_id[SLOTS];
byte in_flight;
bit holding;
byte held;

/* Ghost state. */
byte answered[N];
bit completed[N];
bit device_saw[N];
byte sent, received;

inline respond(id) {
    assert(rs_tail - rs_head < QCAP);
    atomic { rs[rs_tail % QCAP] = id; rs_tail++ }
}

inline complete(id) {
    completed[id] = 1;
    respond(id)
}

/* The barrier's promise, checked as it is answered. */
inline answer_barrier(id) {
    k = 0;
    do
    :: k < id -> assert(completed[k]); k++
    :: else -> break
    od;
    complete(id)
}

inline submit(id) {
    assert(id < BARRIER_ID || completed[BARRIER_ID]);
    k = 0;
    do
    :: busy[k] -> k++
    :: else -> break
    od;
    atomic { busy[k] = 1; slot_id[k] = id; device_saw[id] = 1; in_flight++ }
}

#ifdef TAKE_WITHOUT_ROOM
#define may_take (!holding && in_flight < SLOTS)
#else
#define may_take (!holding && in_flight < SLOTS && QCAP - (rs_tail - rs_head) > in_flight)
#endif

inline reap() {
    k = 0;
    do
    :: k < SLOTS && done[k] ->
        atomic { done[k] = 0; busy[k] = 0; in_flight-- };
        complete(slot_id[k]);
        k++
    :: k < SLOTS && !done[k] -> k++
    :: else -> break
    od;
    if
    :: holding && in_flight == 0 -> holding = 0; answer_barrier(held)
    :: else -> skip
    fi
}

inline intake() {
    do
    :: may_take && rq_head != rq_tail ->
        atomic { r = rq[rq_head % QCAP]; rq_head++ };
        if
        :: cli_wants_rq_room -> cli_wants_rq_room = 0; wake_cli = 1
        :: else -> skip
        fi;
        if
        :: r == BARRIER_ID && in_flight > 0 -> holding = 1; held = r
        :: r == BARRIER_ID && in_flight == 0 -> answer_barrier(r)
        :: r != BARRIER_ID -> submit(r)
        fi
    :: else -> break
    od
}

active proctype Driver()
{
    byte r, k;
end_asleep:
    do
    :: wake_drv ->
        wake_drv = 0;
serve:
        reap();
        intake();
        if
        :: cli_wants_responses -> cli_wants_responses = 0; wake_cli = 1
        :: else -> skip
        fi;
        /* before sleeping: ask, then look again */
        if
        :: may_take -> drv_wants_requests = 1; if :: rq_head != rq_tail -> goto serve :: else -> skip fi
        :: !may_take && !holding && in_flight < SLOTS ->
            drv_wants_rs_room = 1; if :: may_take -> goto serve :: else -> skip fi
        :: else -> skip /* a completion wakes it */
        fi;
        if
        :: holding && in_flight == 0 -> goto serve
        :: else -> skip
        fi
    od
}

/* Completes any request in flight, at any moment, and interrupts (the
 * three slots spelled out: SLOTS). */
active proctype Device()
{
end_idle:
    do
    :: atomic { busy[0] && !done[0] -> done[0] = 1; wake_drv = 1 }
    :: atomic { busy[1] && !done[1] -> done[1] = 1; wake_drv = 1 }
    :: atomic { busy[2] && !done[2] -> done[2] = 1; wake_drv = 1 }
    od
}

active proctype Client()
{
    byte id;
    wake_drv = 1; /* the driver starts: it asks for requests */
    do
    :: received == N -> break
    :: else ->
        /* send what fits */
        do
        :: sent < N && rq_tail - rq_head < QCAP ->
            atomic { rq[rq_tail % QCAP] = sent; rq_tail++; sent++ };
            if
            :: drv_wants_requests -> drv_wants_requests = 0; wake_drv = 1
            :: else -> skip
            fi
        :: else -> break
        od;
        /* read what came, maybe not all of it now */
        do
        :: rs_head != rs_tail ->
            atomic { id = rs[rs_head % QCAP]; rs_head++; answered[id]++; received++ };
            assert(answered[id] == 1);
            if
            :: drv_wants_rs_room -> drv_wants_rs_room = 0; wake_drv = 1
            :: else -> skip
            fi
        :: true -> break
        od;
        /* sleep unless there is more to do: ask, then look again */
        if
        :: received == N -> skip
        :: else ->
            cli_wants_responses = 1;
            if
            :: sent < N && rq_tail - rq_head == QCAP -> cli_wants_rq_room = 1
            :: else -> skip
            fi;
            if
            :: rs_head != rs_tail || (sent < N && rq_tail - rq_head < QCAP) -> skip
            :: else -> wake_cli; wake_cli = 0
            fi
        fi
    od;
    assert(sent == N && rq_head == N && in_flight == 0 && !holding);
    id = 0;
    do
    :: id < N -> assert(answered[id] == 1 && completed[id]); id++
    :: else -> break
    od
}

/*
 * Promela model of one direction of the network queues of include/net/queue.h
 * (for example receive: a driver that fills buffers, a virtualiser that
 * consumes them), with the wakeup protocol of include/pride/ring.h.
 * Here the free queue's consumer always asks for a signal when it has
 * nothing: the basic protocol, and the worst case of the on-demand
 * signalling the components now use (a PD asks only when short of
 * buffers); net_demand.pml models that on the transmit path.
 *
 * B buffers circulate between two event-driven PDs over two SPSC queues:
 *
 *      free queue:   consumer side (virt) --empty buffers--> producer side (drv)
 *      active queue: producer side (drv)  --filled buffers-> consumer side (virt)
 *
 * The virtualiser starts owning every buffer and hands them all to the driver
 * on the free queue. A device delivers FRAMES frames at arbitrary moments;
 * each raises the driver's interrupt and waits in the device until the
 * driver has an empty buffer for it (back-pressure, as a NIC holds frames in
 * its own memory). The driver fills one buffer per frame and publishes it on
 * the active queue; the virtualiser consumes each frame and returns its
 * buffer on the free queue.
 *
 * Each PD runs one handler when woken, which serves both of its queues, then
 * asks for a signal on the queue it reads, re-checks that queue and sleeps
 * only if it is still empty: ring_consumer_request_signal, then
 * ring_consumer_available once more. After publishing, a PD runs
 * ring_producer_must_signal: fence, read the reader's flag, clear it and
 * notify (the read and the clear are two separate steps, as in C).
 * Notifications are sticky binary flags: raising a pending one has no
 * effect, waking consumes it, and one flag per PD stands for all its
 * channels (a seL4 notification word, consumed as a whole by a wait).
 *
 * Each queue has room for all B buffers (as in the real system: 128 slots,
 * fewer buffers), so a producer never finds one full; that is asserted, and
 * the "producer waiting for space" half of ring.h is therefore not modelled.
 * Each Promela statement is atomic and sequentially consistent, which is
 * what the full barriers of ring.h provide around the flag accesses.
 * Writing a slot is private until the index store publishes it, and reading
 * a slot is private until the index store releases it, so each is merged
 * with its index store into one step; the load of the other side's index is
 * a separate step. Buffer ownership lives in ghost bits updated in the same
 * step as the index, so a buffer is never counted twice or not at all.
 *
 * Checked (safety, -DSAFETY):
 *  - no invalid end state: the only valid ends are both PDs asleep (servers)
 *    and the monitors waiting;
 *  - conservation: in every reachable state each buffer id is in exactly one
 *    place (driver, virtualiser, free queue, active queue) and the four
 *    counts add up to B (process conservation);
 *  - no lost wakeup: once the device is done and both PDs are asleep with no
 *    notification pending, every frame has been consumed, in order, both
 *    queues are empty and all B buffers are back with the driver, which
 *    owns them between frames (process quiescence);
 *  - indices never look corrupt and a queue never overflows.
 *
 * Breaking the protocol on purpose (see net_broken.pml):
 *  - VIRT_SKIPS_FREE_SIGNAL: the virtualiser returns buffers on the free
 *    queue without notifying the driver waiting for them;
 *  - DRIVER_SKIPS_RECHECK: the driver asks for a signal on the free queue
 *    and sleeps without looking at it again.
 */

#define B      3   /* buffers in circulation (owns_any and quiescence spell out 3) */
#define FRAMES 5   /* frames the device delivers, more than B */
#define CAP    B   /* slots per queue: room for every buffer */

/* Free queue: written by the virtualiser, read by the driver. */
byte free_slot[CAP];
byte free_tail, free_head;        /* free-running, no wrap within the bounds */
bit drv_waiting_free;             /* driver's "signal me": set by drv, cleared by virt */

/* Active queue: written by the driver, read by the virtualiser. */
byte active_slot[CAP];
byte active_tail, active_head;
bit virt_waiting_active;          /* virtualiser's "signal me": set by virt, cleared by drv */

/* Pending notifications (sticky, binary) and who is asleep. */
bit wake_drv, wake_virt;
bit drv_asleep, virt_asleep;

/* Device: frames arrived so far, and arrived frames not yet in a buffer. */
byte arrived, pending;

/* Ghost state: who owns each buffer, which frame it carries, progress. */
bit drv_has[B];
bit virt_has[B] = 1;              /* the virtualiser starts owning them all */
byte frame_in[B];
byte filled, consumed;

/* Scratch for the monitors' indivisible checks, kept out of the state. */
hidden byte i_, j_, n_, total_;

#if B != 3
#error "owns_any and the quiescence monitor assume B == 3"
#endif
#define owns_any(has) (has[0] || has[1] || has[2])

#define drv_blocked  (drv_asleep && !wake_drv)
#define virt_blocked (virt_asleep && !wake_virt)

#define free_used   (free_tail - free_head)
#define active_used (active_tail - active_head)

/* ---- the device ---- */

/* Frames arrive one at a time at any moment; each raises the driver's
 * interrupt (the driver's notification). */
active proctype device()
{
    do
    :: arrived < FRAMES -> atomic { arrived++; pending++; wake_drv = 1 }
    :: else -> break
    od
}

/* ---- the driver: reads the free queue, writes the active queue ---- */

active proctype driver()
{
    byte used, b;
    bit delivered, flag;

handle:                                     /* init runs the handler once too */
    /* Take every empty buffer the free queue holds (net_dequeue). */
    do
    :: used = free_used;                    /* ring_consumer_available: acquire tail */
        assert(used <= CAP);
        if
        :: used > 0 ->
            atomic {                        /* read the slot, release head */
                b = free_slot[free_head % CAP];
                assert(b < B && !drv_has[b]);
                drv_has[b] = 1;
                free_head++
            }
        :: else -> break
        fi
    od;

    /* Fill a buffer for each waiting frame and publish it (net_enqueue). */
    delivered = 0;
    do
    :: atomic {
        pending > 0 && owns_any(drv_has) ->
            b = 0;
            do
            :: drv_has[b] -> break
            :: else -> b++
            od;
            assert(active_used < CAP);      /* ring_producer_space > 0 */
            pending--;
            frame_in[b] = filled;
            filled++;
            active_slot[active_tail % CAP] = b;
            drv_has[b] = 0;
            active_tail++                   /* publish: release tail */
        };
        delivered = 1
    :: else -> break
    od;

    /* ring_producer_must_signal(active), then notify the virtualiser. */
    if
    :: delivered ->
        flag = virt_waiting_active;         /* after the fence */
        if
        :: flag -> virt_waiting_active = 0; wake_virt = 1
        :: else
        fi
    :: else
    fi;

    /* Ask for a signal on the free queue, look again, then sleep. */
    drv_waiting_free = 1;                   /* request_signal, then fence */
#ifdef DRIVER_SKIPS_RECHECK
    skip;
#else
    if
    :: free_used > 0 -> goto handle         /* re-check: buffers after all */
    :: else
    fi;
#endif
    drv_asleep = 1;
end_asleep:
    atomic { wake_drv -> wake_drv = 0; drv_asleep = 0 };
    goto handle
}

/* ---- the virtualiser: reads the active queue, writes the free queue ---- */

active proctype virt()
{
    byte used, b, k;
    bit returned, flag;

    /* init: hand every buffer to the driver, then signal it if it asked. */
    for (k : 0 .. B - 1) {
        atomic {
            assert(free_used < CAP);
            free_slot[free_tail % CAP] = k;
            virt_has[k] = 0;
            free_tail++
        }
    }
    flag = drv_waiting_free;
    if
    :: flag -> drv_waiting_free = 0; wake_drv = 1
    :: else
    fi;

handle:
    /* Consume every frame on the active queue and return its buffer. */
    returned = 0;
    do
    :: used = active_used;                  /* ring_consumer_available: acquire tail */
        assert(used <= CAP);
        if
        :: used > 0 ->
            atomic {                        /* read the slot, release head */
                b = active_slot[active_head % CAP];
                assert(b < B && !virt_has[b]);
                assert(frame_in[b] == consumed);  /* frames in order */
                consumed++;
                virt_has[b] = 1;
                active_head++
            };
            atomic {                        /* net_enqueue on the free queue */
                assert(free_used < CAP);
                free_slot[free_tail % CAP] = b;
                virt_has[b] = 0;
                free_tail++
            };
            returned = 1
        :: else -> break
        fi
    od;

    /* ring_producer_must_signal(free), then notify the driver. */
#ifdef VIRT_SKIPS_FREE_SIGNAL
    returned = 0;
#endif
    if
    :: returned ->
        flag = drv_waiting_free;            /* after the fence */
        if
        :: flag -> drv_waiting_free = 0; wake_drv = 1
        :: else
        fi
    :: else
    fi;

    /* Ask for a signal on the active queue, look again, then sleep. */
    virt_waiting_active = 1;                /* request_signal, then fence */
    if
    :: active_used > 0 -> goto handle       /* re-check: frames after all */
    :: else
    fi;
    virt_asleep = 1;
end_asleep:
    atomic { wake_virt -> wake_virt = 0; virt_asleep = 0 };
    goto handle
}

/* ---- monitors ---- */

/* Runs once, at any point of any interleaving, so Spin evaluates it in
 * every reachable state: each buffer is in exactly one place, and the
 * owners' and queues' counts add up to B. */
active proctype conservation()
{
    d_step {
        total_ = free_used + active_used;
        for (i_ : 0 .. B - 1) {
            total_ = total_ + drv_has[i_] + virt_has[i_];
            n_ = drv_has[i_] + virt_has[i_];
            j_ = free_head;
            do
            :: j_ != free_tail -> n_ = n_ + (free_slot[j_ % CAP] == i_); j_++
            :: else -> break
            od;
            j_ = active_head;
            do
            :: j_ != active_tail -> n_ = n_ + (active_slot[j_ % CAP] == i_); j_++
            :: else -> break
            od;
            assert(n_ == 1)
        };
        assert(total_ == B);
        i_ = 0; j_ = 0; n_ = 0; total_ = 0
    }
}

/* Once the device is done and both PDs are blocked, nothing can change any
 * more: by then every frame must have gone through and every buffer must be
 * back with the driver, none left in a queue whose reader sleeps. */
active proctype quiescence()
{
end_watching:
    atomic {
        arrived == FRAMES && drv_blocked && virt_blocked ->
        assert(pending == 0 && filled == FRAMES && consumed == FRAMES);
        assert(free_used == 0 && active_used == 0);
        assert(drv_has[0] + drv_has[1] + drv_has[2] == B)
    }
}

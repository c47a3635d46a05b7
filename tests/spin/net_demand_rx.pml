/*
 * Promela model of the receive path of the network queues of
 * include/net/queue.h, whose free queues are signalled on demand, with the
 * wakeup protocol of include/pride/ring.h on every queue (the transmit path
 * is tests/spin/net_demand.pml):
 *
 *   device --used--> driver --drv_active--> virt --to_copier---> copier
 *   device <--post-- driver <--drv_free---- virt <--from_copier-- copier
 *
 * The virtualiser owns B receive buffers and gives them all to the driver
 * at boot; FRAMES frames, more than B, arrive at the device at arbitrary
 * moments, so buffers must come back to the device for all of them to be
 * received. Each PD runs its handler when notified, as the code does:
 *
 *  - driver (drivers/net/virtio/virtio_net.c, serve): rx_complete takes
 *    every frame the device filled and publishes it on drv_active, then
 *    must_signal; rx_refill posts buffers from drv_free while the device
 *    ring has room and, with fewer than LOW posted, asks for a signal on
 *    drv_free and re-checks, and if still short notifies the virtualiser
 *    (the "kick"); the posts reach the device when it publishes the
 *    available index, after that loop. RX interrupts are always enabled.
 *    The transmit half of serve() is left out; it only runs the same pass
 *    again, as an interrupt does.
 *  - virtualiser (components/net/virt_rx.c, drain): frames from
 *    drv_active on to the copier, returned buffers from from_copier on to
 *    drv_free; may_sleep asks for a signal on drv_active, reads the
 *    driver's flag on drv_free (ring_consumer_waiting) and, only if it is
 *    set, asks for a signal on from_copier; it loops unless both are
 *    empty. At the end, must_signal on to_copier and on drv_free. Its init
 *    gives every buffer to the driver, then drains.
 *  - copier (components/net/copier.c): for each frame on to_copier, hands
 *    the buffer back at once on from_copier (the copy into the client's
 *    buffer, and the client, are left out: the frame counts as delivered
 *    there); asks for a signal on to_copier and re-checks; at the end
 *    must_signal on from_copier. Its init only asks for a signal on
 *    to_copier.
 *  - device: a frame arrives at any moment; it goes into the oldest posted
 *    empty buffer, the device writes the used index and interrupts the
 *    driver. With no buffer posted it waits in the device (back-pressure).
 *
 * Notifications are sticky binary flags, one per PD (an interrupt is one
 * too), deferred as in libmicrokit: raised in the same step as going to
 * sleep. PDs interleave arbitrarily, with no regard to priorities, and the
 * device acts concurrently.
 *
 * Boot. The driver starts with a pending notification standing for its
 * init (the same serve() as every notification) and the virtualiser
 * starts running its init, so the driver may find drv_free empty, half
 * filled or full. The copier, too, starts asleep with its init pending:
 * its init runs the same pass as its notified() (ask, re-check, take what
 * is there), whenever the scheduler gets to it. This model found that it
 * once only stored its request: a frame published on to_copier before
 * that store raised no signal and waited for the next one, and with enough
 * frames before it every buffer could end up there and the device stop
 * receiving. Defining COPIER_INIT_ONLY_ASKS brings that init back (the
 * store at any moment) and Spin reports the stranded frame.
 *
 * Granularity, as in net_demand.pml. Each Promela statement is atomic and
 * sequentially consistent, which is what the full barriers of ring.h and
 * the driver's barriers around the available index provide. The races the
 * protocol is about stay split over separate steps: a consumer's store of
 * its flag and its re-check; a producer's publish and its look at the
 * flag; the virtualiser's look at the driver's flag and its store of its
 * own on from_copier. Other steps are merged only where no PD could tell:
 *  - no queue ever fills (each has room for every buffer: asserted), so a
 *    consumer's takes are seen by nobody and are merged into a
 *    neighbouring step of its own; the driver's posts are private until it
 *    publishes the available index, so its takes from drv_free and posts
 *    are one step, taking all it finds while the ring has room;
 *  - must_signal's load and clear of a flag are one step: only the
 *    producer clears it and the consumer only sets it;
 *  - the virtualiser and the device share no variable, nor do the driver
 *    and the copier: a step of the driver on the virtualiser's side and
 *    one on the device's side can be one step, and likewise a step of the
 *    virtualiser on the driver's side with one on the copier's side;
 *  - arrival and filling are one step of the device: a frame that waits
 *    in the device is seen by nobody until a buffer is posted for it, and
 *    the quiescence check below counts a frame that could still arrive.
 * Buffer ownership is ghost state updated in the step that moves a
 * buffer.
 *
 * Checked (safety, -DSAFETY):
 *  - no invalid end state: the valid ends are every PD asleep and the
 *    device and the monitors waiting;
 *  - conservation: in every reachable state each buffer is in exactly one
 *    place (the virtualiser before it hands it out, a queue, the device
 *    ring), and each queue and the ring hold as many as their indices say
 *    (process conservation);
 *  - no lost frame, no starved device (process quiescence): whenever the
 *    three PDs sleep with no notification pending, every frame the device
 *    received has reached the copier, and either all FRAMES have arrived
 *    or the device has an empty buffer posted for the next one. A frame
 *    arriving with none posted would wait for ever while every PD sleeps,
 *    whatever queue the buffers sit idle in;
 *  - frames reach the copier in the order they arrived (with UNCLAIMED
 *    below, only that none comes before one already delivered), and no
 *    queue overflows or hands out an empty slot.
 *
 * Breaking the protocol on purpose (net_demand_rx_broken.pml uses the
 * first):
 *  - DRIVER_SKIPS_KICK: the driver short of buffers asks for a signal on
 *    drv_free but does not notify the virtualiser;
 *  - VIRT_SKIPS_COPIER_REQUEST: the virtualiser never asks for a signal on
 *    from_copier, even while the driver waits;
 *  - DRIVER_SKIPS_RECHECK: the driver asks for a signal on drv_free and
 *    notifies the virtualiser without looking at drv_free again. The kick
 *    does not make up for it: buffers the virtualiser published before the
 *    request are not signalled again (must_signal only answers for what is
 *    new), so they lie on drv_free while the device has none.
 *
 * Wider checks, each verifying with no error but not run by
 * tests/spin/run.sh, which keeps to the model as it stands:
 *  - STRAY_WAKES: any PD may be woken at any moment while it sleeps (the
 *    driver by its transmit path, the copier by its client): about 10
 *    million states, 1 GB;
 *  - UNCLAIMED: the virtualiser may find a frame is for no client and give
 *    its buffer straight back to the driver (route() in virt_rx.c): about
 *    20 million states, 2 GB;
 *  - SLOTS 3 (a ring with room for every buffer), LOW 1, FRAMES 5.
 */

#ifndef FRAMES
#define FRAMES 4   /* frames that arrive, more than B */
#endif
#define B      3   /* receive buffers (the monitors spell out 3) */
#ifndef SLOTS
#define SLOTS  2   /* packets the device ring holds (2 or 3) */
#endif
#ifndef LOW
#define LOW    2   /* the driver asks for buffers with fewer posted */
#endif
#define CAP    B   /* slots per net queue: room for every buffer */
#define NONE   B   /* an empty slot */

/* Net queues: slots, free-running indices (no wrap within FRAMES) and the
 * consumer's "signal me" flag, set by the consumer and cleared by the
 * producer. */
byte da_slot[CAP] = NONE;         /* drv_active: driver -> virt, frames */
byte da_tail, da_head;
bit da_waiting;                   /* the virtualiser's */
byte df_slot[CAP] = NONE;         /* drv_free: virt -> driver, buffers */
byte df_tail, df_head;
bit df_waiting;                   /* the driver's */
byte tc_slot[CAP] = NONE;         /* to_copier: virt -> copier, frames */
byte tc_tail, tc_head;
bit tc_waiting;                   /* the copier's */
byte fc_slot[CAP] = NONE;         /* from_copier: copier -> virt, buffers */
byte fc_tail, fc_head;
bit fc_waiting;                   /* the virtualiser's */

/* Device ring: last_used .. used_idx filled and not yet taken back by the
 * driver, used_idx .. avail_idx posted and empty. The driver's posts past
 * avail_idx (up to its private index) are not yet published. */
byte vq[SLOTS] = NONE;
byte avail_idx, used_idx, last_used;
byte next_avail;                  /* the driver's private available index */

/* Pending notifications and who is asleep. The driver starts asleep with
 * its init pending; the virtualiser starts running its init; the copier
 * starts asleep with its init pending too. */
bit wake_drv = 1, wake_virt;
bit drv_asleep = 1, virt_asleep;
#ifdef COPIER_INIT_ONLY_ASKS
bit wake_copier, copier_asleep;
#else
bit wake_copier = 1, copier_asleep = 1; /* its init pending */
#endif

/* The virtualiser's buffers before its init hands them out, and the
 * frames' progress. */
bit in_virt[B] = 1;
byte frame_in[B];                 /* ghost: the frame a buffer carries */
byte arrived, delivered, unclaimed;

#define drv_blocked    (drv_asleep && !wake_drv)
#define virt_blocked   (virt_asleep && !wake_virt)
#define copier_blocked (copier_asleep && !wake_copier)

/* Append buffer b to a queue (net_enqueue: write the slot, publish).
 * Macros, since an inline cannot take an array. */
#define enqueue(slot, tail, head, b) \
    assert(tail - head < CAP); \
    slot[tail % CAP] = b; \
    tail++

/* Take the oldest buffer of a non-empty queue into b (net_dequeue: read the
 * slot, release the head); the slot is wiped to keep states few. */
#define dequeue(slot, tail, head, b) \
    b = slot[head % CAP]; \
    assert(b < B); \
    slot[head % CAP] = NONE; \
    head++

/* must_signal for a producer: if it published since it last asked (bit
 * p) and the consumer waits (flag w), clear both and defer notification
 * n. One step: see above. */
#define must_signal(p, w, n) \
    if \
    :: p -> \
        p = 0; \
        if \
        :: w -> w = 0; n = 1 \
        :: else \
        fi \
    :: else \
    fi

/* Raise notification w if deferred bit n is set, and clear n. */
inline raise_if(n, w)
{
    if
    :: n -> w = 1; n = 0
    :: else
    fi
}

/* ---- the device ---- */

/* A frame arrives and fills the oldest posted empty buffer: used index,
 * then the interrupt, which is always enabled. */
active proctype device()
{
end_idle:
    do
    :: atomic {
        arrived < FRAMES && used_idx != avail_idx ->
            frame_in[vq[used_idx % SLOTS]] = arrived;
            arrived++;
            used_idx++;
            wake_drv = 1
        }
#ifdef STRAY_WAKES
    :: atomic { drv_asleep && !wake_drv -> wake_drv = 1 }
    :: atomic { virt_asleep && !wake_virt -> wake_virt = 1 }
    :: atomic { copier_asleep && !wake_copier -> wake_copier = 1 }
#endif
    od
}

/* ---- the driver: device -> drv_active, drv_free -> device ---- */

active proctype driver()
{
    byte b;
    bit published, low, n_virt;

    goto asleep;
handle:
    /* rx_complete: every filled buffer on to drv_active, then must_signal */
    do
    :: atomic {
        last_used != used_idx ->
            b = vq[last_used % SLOTS];
            vq[last_used % SLOTS] = NONE;
            last_used++;
            enqueue(da_slot, da_tail, da_head, b);
            b = 0;
            published = 1
        }
    :: atomic {
        last_used == used_idx ->
            must_signal(published, da_waiting, n_virt)
        };
        break
    od;
    /* rx_refill: post all that drv_free holds while there is room; short
     * of LOW, ask for a signal, re-check, and go round again if something
     * came meanwhile. */
    do
    :: atomic {
        do
        :: next_avail - last_used < SLOTS && df_tail != df_head ->
            dequeue(df_slot, df_tail, df_head, b);
            vq[next_avail % SLOTS] = b;
            next_avail++
        :: else -> break
        od;
        b = 0;
        low = (next_avail - last_used < LOW)
        };
        if
        :: low ->
            df_waiting = 1;           /* request_signal, fence */
#ifdef DRIVER_SKIPS_RECHECK
            break
#else
            if
            :: atomic { df_tail == df_head }; break
            :: atomic { df_tail != df_head }
            fi
#endif
        :: else -> break
        fi
    od;
    /* publish the posts to the device; short, the kick; then sleep */
#ifndef DRIVER_SKIPS_KICK
    if
    :: low -> n_virt = 1
    :: else
    fi;
#endif
    atomic {
        avail_idx = next_avail;
        low = 0;
        raise_if(n_virt, wake_virt);
        drv_asleep = 1
    };
asleep:
end_asleep:
    atomic { wake_drv -> wake_drv = 0; drv_asleep = 0 };
    goto handle
}

/* ---- the virtualiser: drv_active -> to_copier, from_copier -> drv_free ---- */

active proctype virt()
{
    byte b;
    bit idle, driver_waits, to_copier_pub, to_driver_pub, n_copier, n_drv;

    /* init: every buffer to the driver, one at a time */
    do
    :: atomic {
        in_virt[0] || in_virt[1] || in_virt[2] ->
            b = (in_virt[0] -> 0 : (in_virt[1] -> 1 : 2));
            in_virt[b] = 0;
            enqueue(df_slot, df_tail, df_head, b);
            b = 0;
            to_driver_pub = 1
        }
    :: atomic { !(in_virt[0] || in_virt[1] || in_virt[2]) }; break
    od;
handle:
    /* from_driver: every frame on to the copier */
    do
    :: atomic {
        da_tail != da_head ->
            dequeue(da_slot, da_tail, da_head, b);
            enqueue(tc_slot, tc_tail, tc_head, b);
            b = 0;
            to_copier_pub = 1
        }
#ifdef UNCLAIMED
    :: atomic {                       /* for no client: straight back */
        da_tail != da_head ->
            dequeue(da_slot, da_tail, da_head, b);
            frame_in[b] = 0;
            unclaimed++;
            enqueue(df_slot, df_tail, df_head, b);
            b = 0;
            to_driver_pub = 1
        }
#endif
    :: atomic { da_tail == da_head }; break
    od;
    /* from_copiers: every returned buffer on to the driver */
    do
    :: atomic {
        fc_tail != fc_head ->
            dequeue(fc_slot, fc_tail, fc_head, b);
            enqueue(df_slot, df_tail, df_head, b);
            b = 0;
            to_driver_pub = 1
        }
    :: atomic { fc_tail == fc_head }; break
    od;
    /* may_sleep: ask on drv_active and re-check; look at the driver's
     * flag; if it waits, ask on from_copier too; re-check from_copier. */
    da_waiting = 1;
    idle = (da_tail == da_head);
    atomic {
        driver_waits = df_waiting;
#ifndef VIRT_SKIPS_COPIER_REQUEST
        if
        :: driver_waits -> fc_waiting = 1
        :: else
        fi;
#endif
        driver_waits = 0
    };
    atomic {
        if
        :: idle && fc_tail == fc_head -> idle = 0
        :: else -> idle = 0; goto handle
        fi
    };
    /* must_signal on to_copier and on drv_free, then sleep */
    atomic {
        must_signal(to_copier_pub, tc_waiting, n_copier);
        must_signal(to_driver_pub, df_waiting, n_drv);
        raise_if(n_copier, wake_copier);
        raise_if(n_drv, wake_drv);
        virt_asleep = 1
    };
end_asleep:
    atomic { wake_virt -> wake_virt = 0; virt_asleep = 0 };
    goto handle
}

/* ---- the copier: to_copier -> (client), buffer straight back ---- */

active proctype copier()
{
    byte b;
    bit returned, n_virt;

#ifdef COPIER_INIT_ONLY_ASKS
    atomic { tc_waiting = 1; copier_asleep = 1 };
#endif
    goto asleep;
handle:
    do
    :: atomic {
        tc_tail != tc_head ->
            dequeue(tc_slot, tc_tail, tc_head, b);
#ifdef UNCLAIMED
            assert(frame_in[b] >= delivered);    /* in order, some dropped */
#else
            assert(frame_in[b] == delivered);    /* in order */
#endif
            frame_in[b] = 0;
            delivered++;
            enqueue(fc_slot, fc_tail, fc_head, b);
            b = 0;
            returned = 1
        }
    :: atomic { tc_tail == tc_head };
        tc_waiting = 1;               /* request_signal, fence */
        if
        :: atomic { tc_tail == tc_head }; break
        :: atomic { tc_tail != tc_head }
        fi
    od;
    atomic {
        must_signal(returned, fc_waiting, n_virt);
        raise_if(n_virt, wake_virt);
        copier_asleep = 1
    };
asleep:
end_asleep:
    atomic { wake_copier -> wake_copier = 0; copier_asleep = 0 };
    goto handle
}

/* ---- monitors: each is blocked unless its property fails, so that it
 * adds no states ---- */

#define in3(slot, i)  ((slot[0] == i) + (slot[1] == i) + (slot[2] == i))
#define used3(slot)   ((slot[0] != NONE) + (slot[1] != NONE) + (slot[2] != NONE))
#if SLOTS == 3
#define in_vq(i)      in3(vq, i)
#define used_vq       used3(vq)
#else
#define in_vq(i)      ((vq[0] == i) + (vq[1] == i))
#define used_vq       ((vq[0] != NONE) + (vq[1] != NONE))
#endif
#define one_place(i) \
    (in_virt[i] + in3(da_slot, i) + in3(df_slot, i) + in3(tc_slot, i) + \
     in3(fc_slot, i) + in_vq(i) == 1)

/* Each buffer is in exactly one place. */
#define each_once   (one_place(0) && one_place(1) && one_place(2))
/* Each queue and the ring hold as many buffers as their indices say (the
 * driver's unpublished posts included, as it holds them). */
#define counts_fit \
    (used3(da_slot) == da_tail - da_head && used3(df_slot) == df_tail - df_head && \
     used3(tc_slot) == tc_tail - tc_head && used3(fc_slot) == fc_tail - fc_head && \
     used_vq == next_avail - last_used && \
     used_idx - last_used <= avail_idx - last_used && \
     avail_idx - last_used <= next_avail - last_used && \
     next_avail - last_used <= SLOTS)

active proctype conservation()
{
end_watching:
    atomic {
        !(each_once && counts_fit) ->
            assert(each_once);
            assert(counts_fit)
    }
}

active proctype quiescence()
{
end_watching:
    atomic {
        drv_blocked && virt_blocked && copier_blocked &&
        !(delivered + unclaimed == arrived && (arrived == FRAMES || used_idx != avail_idx)) ->
            assert(delivered + unclaimed == arrived);       /* none stranded */
            assert(arrived == FRAMES || used_idx != avail_idx) /* not starved */
    }
}

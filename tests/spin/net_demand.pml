/*
 * Promela model of the transmit path of the network queues of
 * include/net/queue.h, whose free queues are signalled on demand, with the
 * wakeup protocol of include/pride/ring.h on every queue:
 *
 *   client --tx_active--> virt --drv_active--> driver --post--> device
 *   client <--tx_free---- virt <--drv_free---- driver <--used--- device
 *
 * The client owns B transmit buffers and is asked at boot to send FRAMES
 * frames, more than B, so buffers must come back for it to finish. Each PD
 * runs its handler when notified, as the code does:
 *
 *  - client (lib/lwip/port/pride_netif.c): reclaim_tx takes back every
 *    returned buffer; holding fewer than LOW, it asks for a signal on
 *    tx_free, re-checks, and if still short notifies the virtualiser (the
 *    "kick"). link_output sends a frame per buffer (enqueue on tx_active,
 *    then ring_producer_must_signal). Out of buffers it reclaims again; it
 *    sleeps after a reclaim_tx that left it nothing to send or nothing to
 *    send it in. (The real client drops a frame it has no buffer for and
 *    lwIP sends again later; here the frame waits, so only the protocol
 *    can wake a client left with frames and no buffers.)
 *  - virtualiser (components/net/virt_tx.c, drain): buffers from drv_free
 *    to tx_free, frames from tx_active to drv_active; must_signal on
 *    tx_free; want = the client's flag on tx_free (ring_consumer_waiting);
 *    may_sleep asks for a signal on drv_free only if want, and on tx_active
 *    (drv_active never fills), and loops unless both are empty; at the end
 *    it notifies the driver if must_signal(drv_active) says so, or if want
 *    (the demand passed on).
 *  - driver (drivers/net/virtio/virtio_net.c, notified): tx_complete
 *    returns the buffer of every completed packet on drv_free, then
 *    must_signal; tx_send posts frames while the device ring has room and,
 *    with room left, asks for a signal on drv_active and re-checks;
 *    tx_completions_quiet enables completion interrupts iff something is
 *    in flight and (the ring is full or the virtualiser waits on
 *    drv_free), and after enabling them re-checks the used ring, running
 *    the whole pass again if something completed meanwhile.
 *  - device: sends posted packets in order at any moment; after writing
 *    the used index it reads the enable flag and, if set, interrupts the
 *    driver (virtio without EVENT_IDX).
 *
 * Notifications are sticky binary flags, one per PD (an interrupt is one
 * too). They are deferred as in libmicrokit: collected during a handler
 * and raised in the same step as going to sleep, as the kernel does them
 * in the call that waits for the next event. PDs interleave arbitrarily,
 * with no regard to priorities (so any core count and priority order is
 * covered), and the device acts concurrently. The client's and the
 * virtualiser's other events (received frames, timers, other clients) are
 * left out: the client only runs when notified on this path.
 *
 * The driver asks for a signal on drv_active only in tx_send. Its init
 * ends with the same full pass as every notification (serve() in the
 * driver), and a notification pending from the start stands for that pass.
 * Defining DRIVER_NOT_WOKEN_AT_BOOT (with FRAMES 1: a client that sends too
 * little to run short and kick) shows why it is needed: a frame stranded
 * on drv_active. This model found that the driver used to rely on the RX
 * path for that first pass.
 *
 * Granularity. Each Promela statement is atomic and sequentially
 * consistent, which is what the full barriers of ring.h, and the driver's
 * barrier between the enable flag and the used index, provide. The races
 * the protocol is about stay split over separate steps: a consumer's store
 * of its flag and its re-check; a producer's publish and its look at the
 * flag; the driver's write of the enable flag and its re-check of the used
 * ring. Other steps are merged only where no PD could tell the difference,
 * to keep the state space small:
 *  - taking from a queue is seen by nobody, since no queue ever fills
 *    (each has room for every buffer, as in the systems: asserted), so a
 *    consumer's takes are merged into a neighbouring step of its own;
 *  - must_signal's load and clear of a flag are one step: only the
 *    producer clears it and the consumer only sets it, so a request in
 *    between would find it set already;
 *  - the client and the driver share no variable, nor do the virtualiser
 *    and the device. So a step of the virtualiser that touches only the
 *    client's side and one that touches only the driver's side can be one
 *    step (anything between them can be moved before or after the pair),
 *    and likewise a step of the driver on the virtualiser's side with one
 *    on the device's side;
 *  - the device's state is read only by the driver, so a completion can
 *    wait until the driver's next step that looks at the used ring or
 *    writes the enable flag: while the driver runs, completions happen as
 *    part of those steps (device_acts); while it sleeps, at any moment if
 *    interrupts are enabled, else in its next pass;
 *  - the device's write of the used index and its look at the enable flag
 *    are one step. Apart, the device could also look after the driver has
 *    re-enabled interrupts and taken the packet already: a needless
 *    interrupt. The model allows those anyway: while the ring holds
 *    packets, the driver may be woken at any moment (its RX work, left out
 *    here, wakes it at random too);
 *  - the driver's posts are thus seen by nobody while it runs, and are
 *    merged into its request for a signal on drv_active; it may stop
 *    posting at any moment (which includes stopping when it finds
 *    drv_active empty, as the code does), since it re-checks after the
 *    request anyway.
 * Buffer ownership is ghost state updated in the step that moves a
 * buffer.
 *
 * Checked (safety, -DSAFETY):
 *  - no invalid end state: the valid ends are every PD asleep and the
 *    device and the monitors waiting;
 *  - conservation: in every reachable state each buffer is in exactly one
 *    place (the client, a queue, the device ring), and each queue and the
 *    ring hold as many as their indices say (process conservation);
 *  - no lost wakeup (process quiescence): whenever all three PDs sleep
 *    with no notification pending and the device has nothing left to do
 *    that anyone would see (idle, or interrupts off), the client has sent
 *    every frame, no frame waits on tx_active or drv_active, and the
 *    client is not left short of buffers: a client below LOW has asked
 *    for them, so every buffer must have found its way back. Above LOW,
 *    buffers may lie anywhere: returning them lazily is the point;
 *  - frames reach the device in the order they were sent, and no queue
 *    overflows or hands out an empty slot.
 *
 * Breaking the protocol on purpose (net_demand_broken.pml uses the first):
 *  - VIRT_SKIPS_DEMAND: the virtualiser asks for a signal on drv_free for a
 *    waiting client but does not notify the driver;
 *  - CLIENT_SKIPS_KICK: the client short of buffers asks for a signal on
 *    tx_free but does not notify the virtualiser;
 *  - DRIVER_SKIPS_RECHECK: the driver enables completion interrupts and
 *    sleeps without looking at the used ring again.
 */

#ifndef FRAMES
#define FRAMES 4   /* frames the client is asked to send, more than B */
#endif
#define B      3   /* transmit buffers (pick and the monitors spell out 3) */
#define LOW    2   /* the client asks for buffers when it holds fewer */
#define CAP    B   /* slots per net queue: room for every buffer */
#define SLOTS  3   /* packets the device ring holds: full only with all B posted
                    * (the monitors spell out 3) */
#define NONE   B   /* an empty slot */

/* Net queues: slots, free-running indices (no wrap within FRAMES) and the
 * consumer's "signal me" flag, set by the consumer and cleared by the
 * producer. */
byte ta_slot[CAP] = NONE;         /* tx_active: client -> virt, frames */
byte ta_tail, ta_head;
bit ta_waiting;                   /* the virtualiser's */
byte tf_slot[CAP] = NONE;         /* tx_free: virt -> client, buffers */
byte tf_tail, tf_head;
bit tf_waiting;                   /* the client's */
byte da_slot[CAP] = NONE;         /* drv_active: virt -> driver, frames */
byte da_tail, da_head;
bit da_waiting;                   /* the driver's */
byte df_slot[CAP] = NONE;         /* drv_free: driver -> virt, buffers */
byte df_tail, df_head;
bit df_waiting;                   /* the virtualiser's */

/* Device ring: last_used .. used_idx completed and not yet taken back by
 * the driver, used_idx .. avail_idx posted and not yet sent. */
byte vq[SLOTS] = NONE;
byte avail_idx, used_idx, last_used;
bit irq_enabled;                  /* written by the driver, read by the device */

/* Pending notifications and who is asleep. The client and the driver start
 * asleep with one pending: the application's request, the boot pass. */
bit wake_client = 1, wake_virt;
#ifdef DRIVER_NOT_WOKEN_AT_BOOT
bit wake_drv;
#else
bit wake_drv = 1;
#endif
bit client_asleep = 1, virt_asleep, drv_asleep = 1;

/* The client's buffers (ghost bits standing for its stack of offsets) and
 * the frames' progress. */
bit in_client[B] = 1;
byte frame_in[B];                 /* ghost: the frame a buffer carries */
byte sent, transmitted;

#define held     (in_client[0] + in_client[1] + in_client[2])
#define pick     (in_client[0] -> 0 : (in_client[1] -> 1 : 2))
#define num_free (SLOTS - (avail_idx - last_used))

#define client_blocked (client_asleep && !wake_client)
#define virt_blocked   (virt_asleep && !wake_virt)
#define drv_blocked    (drv_asleep && !wake_drv)

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

/* Raise notification w if deferred bit n is set, and clear n. */
inline raise_if(n, w)
{
    if
    :: n -> w = 1; n = 0
    :: else
    fi
}

/* ---- the device ---- */

/* The device sends the oldest posted packet: used index, barrier, then the
 * enable flag, in one step (see above). */
inline complete_one()
{
    assert(frame_in[vq[used_idx % SLOTS]] == transmitted);  /* in order */
    frame_in[vq[used_idx % SLOTS]] = 0;
    transmitted++;
    used_idx++;
    if
    :: irq_enabled -> wake_drv = 1
    :: else
    fi
}

/* While the driver runs: any number of completions, as part of its next
 * step that could tell. */
inline device_acts()
{
    do
    :: used_idx != avail_idx -> complete_one()
    :: break
    od
}

/* While the driver sleeps: completions at any moment if interrupts are
 * enabled (else they wait for its next pass), and while the ring holds
 * packets, a stray or late interrupt. */
active proctype device()
{
end_idle:
    do
    :: atomic { drv_asleep && irq_enabled && used_idx != avail_idx -> complete_one() }
    :: atomic { drv_asleep && !wake_drv && avail_idx != last_used -> wake_drv = 1 }
    od
}

/* ---- the client: writes tx_active, reads tx_free ---- */

/* Take every buffer on tx_free (net_dequeue until it finds none). */
inline take_returned()
{
    do
    :: tf_tail != tf_head ->
        dequeue(tf_slot, tf_tail, tf_head, b);
        assert(!in_client[b]);
        in_client[b] = 1
    :: else -> break
    od;
    b = 0
}

active proctype client()
{
    byte b;
    bit low, sending, kick;           /* kick: deferred notification to virt */

    goto asleep;                      /* setup asks for nothing on TX */
handle:
    /* reclaim_tx: take back what is there; short, ask for a signal and
     * re-check; still short, notify the virtualiser. */
    atomic { take_returned(); low = (held < LOW) };
reclaim:
    do
    :: low ->
        tf_waiting = 1;               /* request_signal, fence */
        atomic {
            if
            :: tf_tail == tf_head ->  /* still short: notify the virtualiser */
                low = 0;
#ifndef CLIENT_SKIPS_KICK
                kick = 1;
#endif
                goto send
            :: else -> take_returned(); low = (held < LOW)
            fi
        }
    :: else -> break
    od;
send:
    /* link_output for each frame asked for while buffers last, then
     * must_signal. Having sent any, reclaim again; else sleep. */
    do
    :: atomic {
        sent < FRAMES && held > 0 ->
            b = pick;
            in_client[b] = 0;
            frame_in[b] = sent;
            sent++;
            enqueue(ta_slot, ta_tail, ta_head, b);
            b = 0;
            sending = 1
        };
        atomic {                      /* must_signal, after the fence */
            if
            :: ta_waiting -> ta_waiting = 0; kick = 1
            :: else
            fi
        }
    :: atomic {
        !(sent < FRAMES && held > 0) && sending ->
            sending = 0;
            take_returned();
            low = (held < LOW)
        };
        goto reclaim
    :: atomic {
        !(sent < FRAMES && held > 0) && !sending ->
            raise_if(kick, wake_virt);
            client_asleep = 1
        };
        goto asleep
    od;
asleep:
end_asleep:
    atomic { wake_client -> wake_client = 0; client_asleep = 0 };
    goto handle
}

/* ---- the virtualiser: tx_active -> drv_active, drv_free -> tx_free ---- */

active proctype virt()
{
    byte b;
    bit want, idle, to_client, to_driver, n_client, n_drv;

handle:                               /* init runs drain() too */
    /* from_driver: every returned buffer on to the client */
    do
    :: atomic {
        df_tail != df_head ->
            dequeue(df_slot, df_tail, df_head, b);
            enqueue(tf_slot, tf_tail, tf_head, b);
            b = 0;
            to_client = 1
        }
    :: atomic { df_tail == df_head && ta_tail != ta_head }; break
    :: atomic { df_tail == df_head && ta_tail == ta_head }; goto forwarded
    od;
    /* from_clients: every frame on to the driver */
    do
    :: atomic {
        ta_tail != ta_head ->
            dequeue(ta_slot, ta_tail, ta_head, b);
            enqueue(da_slot, da_tail, da_head, b);
            b = 0;
            to_driver = 1
        }
    :: atomic { ta_tail == ta_head }; break
    od;
forwarded:
    if                                /* must_signal(tx_free) */
    :: to_client ->
        to_client = 0;
        atomic {
            if
            :: tf_waiting -> tf_waiting = 0; n_client = 1
            :: else
            fi
        }
    :: else
    fi;
    /* clients_waiting, then may_sleep(want) */
    atomic {
        want = tf_waiting;
        if
        :: want -> df_waiting = 1
        :: else
        fi
    };
    atomic { idle = (df_tail == df_head); ta_waiting = 1 };
    atomic {
        if
        :: idle && ta_tail == ta_head ->
            idle = 0;
            if                        /* must_signal(drv_active): load */
            :: to_driver ->
                to_driver = 0;
                if
                :: da_waiting -> da_waiting = 0; n_drv = 1
                :: else
                fi
            :: else
            fi
        :: else -> idle = 0; goto handle
        fi
    };
#ifndef VIRT_SKIPS_DEMAND
    if
    :: want -> n_drv = 1
    :: else
    fi;
#endif
    want = 0;
    atomic { raise_if(n_client, wake_client); raise_if(n_drv, wake_drv); virt_asleep = 1 };
end_asleep:
    atomic { wake_virt -> wake_virt = 0; virt_asleep = 0 };
    goto handle
}

/* ---- the driver: drv_active -> device, device -> drv_free ---- */

active proctype driver()
{
    byte b;
    bit returned, wanted_irq, n_virt;

    goto asleep;                      /* init leaves completion interrupts off */
handle:
    /* tx_complete, then must_signal(drv_free) */
    do
    :: atomic {
        last_used != used_idx ->
            b = vq[last_used % SLOTS];
            vq[last_used % SLOTS] = NONE;
            last_used++;
            enqueue(df_slot, df_tail, df_head, b);
            b = 0;
            returned = 1
        }
    :: atomic {
        last_used == used_idx ->
            device_acts();
            if
            :: last_used == used_idx ->
                if                    /* must_signal(drv_free): load */
                :: returned ->
                    returned = 0;
                    if
                    :: df_waiting -> df_waiting = 0; n_virt = 1
                    :: else
                    fi
                :: else
                fi;
                goto returned_all
            :: else                   /* completed meanwhile: take it */
            fi
        }
    od;
returned_all:
    /* tx_send: post while the device ring has room; with room left, ask
     * for a signal on drv_active and re-check. */
    do
    :: atomic {
        do                            /* net_dequeue and post */
        :: num_free > 0 && da_tail != da_head ->
            dequeue(da_slot, da_tail, da_head, b);
            vq[avail_idx % SLOTS] = b;
            avail_idx++
        :: break
        od;
        b = 0;
        if
        :: num_free > 0 -> da_waiting = 1
        :: else -> break
        fi
        };
        if
        :: da_tail == da_head -> break
        :: else
        fi
    od;
    /* tx_completions_quiet */
    atomic {
        device_acts();
        wanted_irq = (num_free < SLOTS && (num_free == 0 || df_waiting));
        irq_enabled = wanted_irq
    };
#ifdef DRIVER_SKIPS_RECHECK
    wanted_irq = 0;
#endif
    atomic {
        device_acts();
        if
        :: wanted_irq && last_used != used_idx -> wanted_irq = 0; goto handle
        :: else -> wanted_irq = 0; raise_if(n_virt, wake_virt); drv_asleep = 1
        fi
    };
asleep:
end_asleep:
    atomic { wake_drv -> wake_drv = 0; drv_asleep = 0 };
    goto handle
}

/* ---- monitors: each is blocked unless its property fails, so that it
 * adds no states ---- */

#define in3(slot, i)    ((slot[0] == i) + (slot[1] == i) + (slot[2] == i))
#define used3(slot)     ((slot[0] != NONE) + (slot[1] != NONE) + (slot[2] != NONE))
#define one_place(i) \
    (in_client[i] + in3(ta_slot, i) + in3(tf_slot, i) + in3(da_slot, i) + \
     in3(df_slot, i) + in3(vq, i) == 1)

/* Each buffer is in exactly one place. */
#define each_once   (one_place(0) && one_place(1) && one_place(2))
/* Each queue and the ring hold as many buffers as their indices say. */
#define counts_fit \
    (used3(ta_slot) == ta_tail - ta_head && used3(tf_slot) == tf_tail - tf_head && \
     used3(da_slot) == da_tail - da_head && used3(df_slot) == df_tail - df_head && \
     used3(vq) == avail_idx - last_used && used_idx - last_used <= avail_idx - last_used && \
     avail_idx - last_used <= SLOTS)

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
        client_blocked && virt_blocked && drv_blocked &&
        (used_idx == avail_idx || !irq_enabled) &&
        !(sent == FRAMES && ta_tail == ta_head && da_tail == da_head && held >= LOW) ->
            assert(sent == FRAMES);                       /* all frames sent */
            assert(ta_tail == ta_head && da_tail == da_head); /* none stranded */
            assert(held >= LOW)                           /* not left short */
    }
}

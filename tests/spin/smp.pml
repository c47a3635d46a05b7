/*
 * Promela model of a notification across cores (kernel/smp.c, ipc.c,
 * entry.c): PD ping on core A notifies PD pong on core B ROUNDS times;
 * pong's core idles in WFI when it has nothing to run.
 *
 * The kernel runs under one lock. A notification sets pong's pending bit
 * and, if pong is blocked in its receive, delivers it, makes pong ready on
 * core B and sends core B the reschedule SGI unless core B runs a PD
 * (here: pong itself, which then finds the notification at its next
 * receive) or an SGI is already on its way (poked). Core B's idle loop
 * looks for a ready PD under the lock, releases the lock for WFI (which
 * returns once an interrupt is pending: it may also return for nothing),
 * and takes the lock again before it acknowledges the SGI. Pong's core
 * may also take the SGI while pong runs. Checked: no notification is lost
 * (every round reaches pong) and core B never waits in WFI, the kernel
 * free, with pong ready and no SGI pending (a lost wakeup).
 *
 * Defining NO_SGI_TO_AN_IDLE_CORE breaks the protocol on purpose (see
 * smp_broken.pml): a wakeup then interrupts core B only if it runs a PD.
 */

#define ROUNDS 6

bit lock;
bit sgi_pending;   /* at core B's interrupt controller */
bit poked;         /* core B->poked */
bit pending;       /* pong's notification bit */
bit pong_blocked = 1;
bit ready;         /* pong in core B's ready set */
bit running;       /* core B's current is pong */
bit in_wfi;
byte sent, delivered, handled;

inline acquire() { atomic { !lock -> lock = 1 } }
inline release() { lock = 0 }

/* ipc_signal + sched_wake + smp_wake_remote, under the lock. */
inline notify_pong()
{
    pending = 1;
    if
    :: pong_blocked ->
        pending = 0; delivered++;
        pong_blocked = 0; ready = 1;
#ifdef NO_SGI_TO_AN_IDLE_CORE
        if
        :: running && !poked -> poked = 1; sgi_pending = 1
        :: else -> skip
        fi
#else
        if
        :: !running && !poked -> poked = 1; sgi_pending = 1
        :: else -> skip
        fi
#endif
    :: else -> skip
    fi
}

/* irq_dispatch of the SGI: smp_poked. */
inline take_sgi()
{
    sgi_pending = 0; poked = 0; running = 0
}

active proctype core_a()
{
    do
    :: sent < ROUNDS -> acquire(); notify_pong(); sent++; release()
    :: else -> break
    od
}

active proctype core_b()
{
    acquire();
idle:
    do
    :: ready -> running = 1; break
    :: !ready ->
        release();
        in_wfi = 1;
end_wfi:
        if
        :: sgi_pending -> skip
        :: true -> skip /* a wakeup for nothing */
        fi;
        in_wfi = 0;
        acquire();
        if
        :: sgi_pending -> take_sgi()
        :: else -> skip
        fi
    od;
    release();
serve:
    /* pong handles what it was given; the SGI may interrupt it */
    handled++;
    if
    :: sgi_pending -> acquire(); take_sgi(); running = 1; release()
    :: true -> skip
    fi;
    /* pong's receive */
    acquire();
    if
    :: pending -> pending = 0; delivered++; release(); goto serve
    :: else -> pong_blocked = 1; ready = 0; running = 0; goto idle
    fi
}

/* A lost wakeup: core B waits with pong ready and nothing to wake it. And
 * once all is quiet, every notification was delivered and handled. */
active proctype monitor()
{
end_watch:
    do
    :: atomic { (in_wfi && !lock && ready && !sgi_pending) -> assert(false) }
    :: atomic { (sent == ROUNDS && in_wfi && !lock && pong_blocked) ->
                assert(!pending && delivered >= 1 && handled == delivered) }
    od
}


/*
 * Promela model of the PD life cycle of the kernel (kernel/ipc.c,
 * kernel/fault.c): protected procedure calls (PPC), the event loop's
 * receive, faults, and a parent's restart and stop of a child. The rules,
 * numbered as in the comments below:
 *
 *  1. A call to a faulted or stopped server gets the error reply at once.
 *     Else the caller blocks: delivered at once to a server waiting in
 *     receive (the caller becomes its reply target), else queued FIFO.
 *  2. Receive answers the reply target (a caller runs again with the
 *     reply; a faulted child answered is resumed; a fault handler that
 *     returns without answering leaves its child faulted and the fault
 *     handled), then takes the next event: a pending notification first,
 *     then the head of the queue (a caller to serve or a faulted child to
 *     handle, which becomes the reply target), else it blocks.
 *  3. A running PD faults: a caller it serves and every caller queued on
 *     it get the error reply; a child fault it received and has not
 *     answered goes back to the head of its queue, where faulted children
 *     stay; its fault goes to its parent (delivered if the parent waits in
 *     receive, else queued). Without a parent it is stopped.
 *  4. A parent restarts child X: X leaves any queue (its call cancelled or
 *     its fault withdrawn) and stops being anyone's reply target (its
 *     parent's, or that of the server serving it); a caller X serves gets
 *     the error reply; a child fault X received and has not answered goes
 *     back to the head of X's queue; callers queued on X stay, served
 *     after X's init.
 *  5. Stop: as restart, but X is stopped and the callers queued on it get
 *     the error reply (faulted children stay queued on X).
 *
 * Four PDs, enough to reach each of the three ways the kernel once lost a
 * PD (a parent calling its faulted child; a child faulting while serving a
 * middle server that its parent called; a parent restarted or stopped
 * while handling its child's fault):
 *
 *   G  the grandparent: P's parent, no parent of its own, never faults
 *   P  G's child, C's parent: calls M and C, may fault
 *   M  a server with no parent: serving P it may call C; may fault (and,
 *      having no parent, is then stopped for good)
 *   C  P's child and a server of P and M: may fault at any point it runs,
 *      in its init or while serving either caller
 *
 *   calls:  P -> M,  P -> C,  M -> C      faults go:  C -> P -> G
 *
 * A parent (G, P) runs one menu whether in its init, in notified() or in
 * its fault handler: resume the child (answer a delivered fault), wait
 * without an answer (leaving a delivered fault handled), restart or stop
 * the child, and for P also call M or C and fault. A handler that
 * restarts or stops its child and then waits takes two steps of the menu.
 * G and P are also notified at arbitrary moments, so that they run while
 * their queue holds senders (notifications come first) and G can restart
 * or stop P while P handles a fault of C. Faults, restarts and stops,
 * calls and notifications come from budgets that restarts do not refill,
 * so every run ends.
 *
 * Each kernel operation is one atomic step (d_step), as the kernel runs
 * one system call at a time with interrupts masked. Any runnable PD may
 * take the next step, so priorities and the number of cores are left open
 * (the priority order PPC needs is one of the orders covered). Message
 * contents, and whether an answer is a reply or the error reply, are left
 * out: only who waits on whom matters here.
 *
 * Checked (safety, -DSAFETY), after every step:
 *  - a PD is held in at most one place: one slot of one queue, or one
 *    PD's reply target (so no queue holds a PD twice, and no PD is both
 *    queued and a reply target);
 *  - no lost call: a PD blocked in a call is queued on its server or is
 *    its server's reply target;
 *  - no lost fault: a faulted PD is exactly one of: queued on its parent,
 *    its parent's reply target, handled and left by its parent;
 *  - a running, receiving or stopped PD is held nowhere, and a PD waiting
 *    in receive has nothing queued and no notification pending;
 * and once no PD can run (else no valid end): no PD is blocked in a call,
 * so every call ended with a reply or the error reply; every PD waits in
 * receive, is stopped, or is faulted with its fault accounted as above.
 *
 * Breaking a rule on purpose, as the kernel once had it (each has a
 * broken twin that Spin must reject):
 *  - CALL_QUEUES_ON_FAULTED (lifecycle_broken.pml): rule 1 queues a call
 *    to a faulted server instead of answering it with the error reply;
 *  - FAULT_KEEPS_CALLER (lifecycle_broken_nested.pml): rule 3 gives the
 *    error reply only to a caller that is the faulting PD's parent;
 *  - DETACH_FORGETS_FAULT (lifecycle_broken_putback.pml): rules 4 and 5
 *    drop a delivered, unanswered child fault instead of putting it back.
 */

#define G     0
#define P     1
#define M     2
#define C     3
#define NPD   4
#define NONE  NPD        /* no PD: an empty slot, no reply target */
#define QCAP  2          /* queue slots per PD: C is called by P and M */

#define parent_of(x) ((x) == P -> G : ((x) == C -> P : NONE))

/* PD states */
#define RUNNABLE     1
#define BLOCKED_RECV 2
#define BLOCKED_CALL 3
#define FAULTED      4
#define STOPPED      5

/* Where M's protected() is; only M's code depends on what it is doing. */
#define M_IDLE     0     /* init, or nothing being served: it will wait */
#define M_SERVING  1     /* serving a call: may call C, then replies */
#define M_REPLYING 2     /* its call to C returned: replies */

#ifdef DETACH_FORGETS_FAULT
#define DETACH_PUTS_BACK 0
#else
#define DETACH_PUTS_BACK 1
#endif

byte st[NPD] = RUNNABLE;         /* every PD starts running its init */
byte rt[NPD] = NONE;             /* reply target */
byte srv[NPD] = NONE;            /* the server a PD blocked in a call called */
byte q[NPD * QCAP] = NONE;       /* FIFO queues of senders, head first */
byte qlen[NPD];
bit left[NPD];                   /* faulted, handled without an answer */
bit pending[NPD];                /* a notification waits */
byte m_phase;

/* Budgets per PD (faults, restarts and stops of its child, calls,
 * notifications), spent and never refilled, so that every run ends. */
byte faults[NPD], ctl[NPD], calls[NPD], notes[NPD];

/* Scratch for the steps, used only inside d_steps: these are not part of
 * the state, so no value may live from one step to the next. */
hidden byte who, qi, qj, target, par, holders, found;

#define RUNS(x) (st[x] == RUNNABLE)

/* Where a PD may be once nothing can run: waiting in receive, stopped, or
 * faulted (its fault accounted for by check()); not blocked in a call. */
#define ended(x) \
    (st[x] == BLOCKED_RECV || st[x] == STOPPED || st[x] == FAULTED)

/* One step of the system: a guard, then an atomic kernel operation. (The
 * skip: a loop must not end a d_step, its exit would leave the d_step.) */
#define STEP(guard, action) :: d_step { guard -> action; check(); skip }

/* ---- queues ---- */

inline enqueue(pd, x)
{
    assert(qlen[pd] < QCAP);
    q[pd * QCAP + qlen[pd]] = x;
    qlen[pd]++
}

inline push_head(pd, x)
{
    assert(qlen[pd] < QCAP);
    qi = qlen[pd];
    do
    :: qi > 0 -> q[pd * QCAP + qi] = q[pd * QCAP + qi - 1]; qi--
    :: else -> break
    od;
    q[pd * QCAP] = x;
    qlen[pd]++
}

/* Remove slot at of pd's queue, closing the gap; freed slots are wiped to
 * keep states few. */
inline remove_at(pd, at)
{
    for (qj : at .. qlen[pd] - 2) { q[pd * QCAP + qj] = q[pd * QCAP + qj + 1] }
    qlen[pd]--;
    q[pd * QCAP + qlen[pd]] = NONE
}

/* found := x's slot in pd's queue, QCAP if it is not there. */
inline find(pd, x)
{
    found = QCAP;
    for (qi : 0 .. qlen[pd] - 1) {
        if
        :: q[pd * QCAP + qi] == x -> found = qi
        :: else
        fi
    }
}

inline unlink(pd, x)
{
    find(pd, x);
    if
    :: found < QCAP -> remove_at(pd, found)
    :: else
    fi
}

/* ---- the rules ---- */

/* A blocked caller gets its reply or the error reply and runs again. */
inline release(x)
{
    st[x] = RUNNABLE;
    srv[x] = NONE
}

/* Rules 1 and 2: pd's receive completes with sender x, which becomes its
 * reply target (a caller to serve, or a faulted child to handle). */
inline deliver(pd, x)
{
    rt[pd] = x;
    st[pd] = RUNNABLE;
    if
    :: pd == M -> m_phase = M_SERVING
    :: else
    fi
}

/* Rule 1: x calls server sv. */
inline ppc(x, sv)
{
    if
#ifdef CALL_QUEUES_ON_FAULTED
    :: st[sv] == STOPPED -> skip
#else
    :: st[sv] == FAULTED || st[sv] == STOPPED -> skip   /* error at once */
#endif
    :: else ->
        st[x] = BLOCKED_CALL;
        srv[x] = sv;
        if
        :: st[sv] == BLOCKED_RECV -> deliver(sv, x)
        :: else -> enqueue(sv, x)
        fi
    fi
}

/* Rule 2: pd answers its reply target (with_reply: a reply, or a resume of
 * a faulted child; a call always gets one), then takes its next event. */
inline receive(pd, with_reply)
{
    target = rt[pd];
    rt[pd] = NONE;
    if
    :: target == NONE -> skip
    :: else ->
        if
        :: st[target] == BLOCKED_CALL -> release(target)
        :: st[target] == FAULTED && with_reply ->
            st[target] = RUNNABLE       /* resumed */
        :: else -> left[target] = 1     /* handled, left faulted */
        fi
    fi;
    if
    :: pending[pd] -> pending[pd] = 0   /* notified() runs: pd's own code */
    :: else ->
        if
        :: qlen[pd] > 0 ->
            target = q[pd * QCAP];
            remove_at(pd, 0);
            deliver(pd, target)
        :: else -> st[pd] = BLOCKED_RECV
        fi
    fi
}

/* Rules 3, 4 and 5: x gives up its reply target: a caller gets the error
 * reply; a child's fault received and not answered goes back to the head
 * of x's queue if put_back, else is dropped. */
inline drop_reply_target(x, put_back)
{
    target = rt[x];
    rt[x] = NONE;
    if
    :: target == NONE -> skip
    :: else ->
        if
        :: st[target] == BLOCKED_CALL -> release(target)
        :: else ->
            if
            :: put_back -> push_head(x, target)
            :: else
            fi
        fi
    fi
}

/* Rules 3 and 5: the callers queued on pd get the error reply; faulted
 * children stay queued, in order. */
inline release_queued_callers(pd)
{
    qi = 0;
    do
    :: qi < qlen[pd] && st[q[pd * QCAP + qi]] == BLOCKED_CALL ->
        release(q[pd * QCAP + qi]);
        remove_at(pd, qi)
    :: qi < qlen[pd] && st[q[pd * QCAP + qi]] != BLOCKED_CALL -> qi++
    :: else -> break
    od
}

/* Rule 3: running x faults. */
inline fault(x)
{
#ifdef FAULT_KEEPS_CALLER
    if
    :: rt[x] == parent_of(x) || parent_of(x) == NONE -> drop_reply_target(x, 1)
    :: else
    fi;
#else
    drop_reply_target(x, 1);
#endif
    release_queued_callers(x);
    par = parent_of(x);
    if
    :: par == NONE -> st[x] = STOPPED   /* reported by the system monitor */
    :: else ->
        st[x] = FAULTED;
        if
        :: st[par] == BLOCKED_RECV -> deliver(par, x)
        :: else -> enqueue(par, x)
        fi
    fi
}

/* Rules 4 and 5: x's parent takes x out of every wait relation. */
inline detach(x)
{
    for (who : 0 .. NPD - 1) {
        unlink(who, x);                 /* a queued call or fault withdrawn */
        if
        :: rt[who] == x -> rt[who] = NONE   /* parent or server forgets x */
        :: else
        fi
    }
    srv[x] = NONE;
    left[x] = 0;
    drop_reply_target(x, DETACH_PUTS_BACK)
}

/* Rule 4: x runs its init again; callers queued on x stay queued. */
inline restart(x)
{
    detach(x);
    st[x] = RUNNABLE
}

/* Rule 5: x stops; callers queued on x get the error reply. */
inline stop(x)
{
    detach(x);
    st[x] = STOPPED;
    release_queued_callers(x)
}

/* A notification for x (from a timer, an IRQ, another PD): it wakes x if
 * x waits in receive, else it waits for x's next receive. */
inline notify(x)
{
    notes[x]--;
    if
    :: st[x] == BLOCKED_RECV -> st[x] = RUNNABLE
    :: else -> pending[x] = 1
    fi
}

/* ---- the checks ---- */

inline check()
{
    for (who : 0 .. NPD - 1) {
        holders = 0;                    /* places that hold who */
        for (qi : 0 .. NPD * QCAP - 1) {
            if
            :: q[qi] == who -> holders++
            :: else
            fi
        }
        for (qi : 0 .. NPD - 1) {
            if
            :: rt[qi] == who -> holders++
            :: else
            fi
        }
        if
        :: st[who] == BLOCKED_CALL ->   /* no lost call */
            assert(holders == 1 && srv[who] != NONE);
            find(srv[who], who);
            assert(found < QCAP || rt[srv[who]] == who)
        :: st[who] == FAULTED ->        /* no lost fault */
            assert(holders + left[who] == 1 && parent_of(who) != NONE);
            find(parent_of(who), who);
            assert(left[who] || found < QCAP || rt[parent_of(who)] == who)
        :: else -> assert(holders == 0 && !left[who])
        fi;
        if
        :: st[who] == BLOCKED_RECV ->
            assert(qlen[who] == 0 && rt[who] == NONE && !pending[who])
        :: else
        fi
    }
}

/* ---- the PDs ---- */

/* A parent's menu, in its init, notified() or fault(): resume the child
 * whose fault it was given; wait with no answer (leaving that child
 * faulted); restart or stop the child; and be notified at any moment. */
#define PARENT_STEPS(pd, child) \
    STEP(RUNS(pd) && rt[pd] != NONE, receive(pd, 1)) \
    STEP(RUNS(pd), receive(pd, 0)) \
    STEP(RUNS(pd) && ctl[pd] > 0, ctl[pd]--; restart(child)) \
    STEP(RUNS(pd) && ctl[pd] > 0, ctl[pd]--; stop(child)) \
    STEP(notes[pd] > 0 && !pending[pd], notify(pd))

active proctype lifecycle()
{
    d_step {                            /* the budgets */
        ctl[G] = 2; notes[G] = 2;
        calls[P] = 3; ctl[P] = 2; faults[P] = 2; notes[P] = 2;
        faults[M] = 1;
        faults[C] = 3
    };
    do
    PARENT_STEPS(G, P)

    /* P: the same as a parent, and its own calls and faults */
    PARENT_STEPS(P, C)
    STEP(RUNS(P) && calls[P] > 0, calls[P]--; ppc(P, M))
    STEP(RUNS(P) && calls[P] > 0, calls[P]--; ppc(P, C))
    STEP(RUNS(P) && faults[P] > 0, faults[P]--; fault(P))

    /* M: serving P, it may call C before replying. Without a parent, a
     * fault stops it for good; its phase is reset, since a stale one
     * would only split states. */
    STEP(RUNS(M) && m_phase == M_SERVING, m_phase = M_REPLYING; ppc(M, C))
    STEP(RUNS(M), m_phase = M_IDLE; receive(M, 1))
    STEP(RUNS(M) && faults[M] > 0, faults[M]--; m_phase = M_IDLE; fault(M))

    /* C: in its init or serving P or M, it replies or faults */
    STEP(RUNS(C), receive(C, 1))
    STEP(RUNS(C) && faults[C] > 0, faults[C]--; fault(C))

    :: else ->                          /* nothing can run any more */
        assert(ended(G) && ended(P) && ended(M) && ended(C));
        break
    od
}

/*
 * Per-core scheduler: 256 fixed priorities, round-robin within a priority.
 *
 * A system has at most 63 PDs, so at boot every PD gets a rank: PDs sorted
 * by priority, ties by index. PDs of one priority hold a contiguous range of
 * ranks (a group). Each core keeps one 64-bit mask of its runnable PDs by
 * rank, the running PD included: waking and blocking are single bit
 * operations, and the highest priority is the top set bit. Within a group,
 * a cursor gives round-robin: the PD at or after the cursor runs, and the
 * cursor moves on only when a time slice ends, so a PD preempted by a
 * higher priority resumes before its peers. A slice that ends while a
 * server runs a PD's call is that PD's: its group moves on too.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

static struct pd *pd_of_rank[PRIDE_MAX_PDS];
static uint64_t group_of_rank[PRIDE_MAX_PDS]; /* ranks sharing this rank's priority */

static uint64_t bit(unsigned rank)
{
    return 1ull << rank;
}

/* Rank every PD once all are installed (insertion sort: at most 63). */
void sched_init(void)
{
    for (unsigned i = 0; i < num_pds; i++) {
        unsigned r = i;
        while (r && pd_of_rank[r - 1]->priority > pds[i].priority) {
            pd_of_rank[r] = pd_of_rank[r - 1];
            r--;
        }
        pd_of_rank[r] = &pds[i];
    }
    for (unsigned r = 0; r < num_pds; r++) {
        pd_of_rank[r]->rank = (uint8_t)r;
        for (unsigned s = 0; s < num_pds; s++)
            if (pd_of_rank[s]->priority == pd_of_rank[r]->priority)
                group_of_rank[r] |= bit(s);
        pd_of_rank[r]->group_floor = group_of_rank[r] & -group_of_rank[r];
    }
}

static unsigned lowest_rank(uint64_t group)
{
    return (unsigned)__builtin_ctzll(group);
}

/* The highest-priority runnable PD, round-robin within its group; NULL if
 * none is runnable. */
struct pd *sched_pick(struct core *core)
{
    if (!core->ready)
        return 0;
    unsigned top = 63 - (unsigned)__builtin_clzll(core->ready);
    uint64_t group = core->ready & group_of_rank[top];
    if (!(group & (group - 1)))
        return pd_of_rank[top];
    unsigned base = lowest_rank(group_of_rank[top]);
    uint64_t from_cursor = group & ~(bit(core->cursor[base]) - 1);
    unsigned rank = lowest_rank(from_cursor ? from_cursor : group);
    core->cursor[base] = (uint8_t)rank;
    return pd_of_rank[rank];
}

/* Invariant: core->current, when set, is runnable and of the highest ready
 * priority. A PD that blocks clears current first, so the PD it wakes (a
 * server called, a caller answered) takes over the CPU without a search. */
void sched_wake(struct pd *pd)
{
    struct core *core = pd->core;
    struct pd *cur = core->current;
    pd->state = PD_RUNNABLE;
    if (__builtin_expect(core->depleted, 0) && pd->running_sc && pd->running_sc->depleted) {
        core->throttled |= bit(pd->rank); /* runs once its context is refilled */
        return;
    }
    core->ready |= bit(pd->rank);
    if (__builtin_expect(core->shared, 0) && core != arch_this_core()) {
        smp_wake_remote(core, pd); /* (its current is that core's to change) */
        return;
    }
    /* Without a current PD, pd takes over only if it is the one ready PD of
     * the highest ready priority: every other ready PD ranks below pd's
     * group (groups are contiguous), so no peer is owed the CPU by
     * round-robin. Otherwise sched_pick() decides. */
    if (cur ? pd->priority > cur->priority
            : (core->ready ^ bit(pd->rank)) < pd->group_floor)
        core->current = pd;
}

/* Take a PD that is about to block or stop out of scheduling. */
void sched_remove(struct pd *pd)
{
    struct core *core = pd->core;
    core->ready &= ~bit(pd->rank);
    if (core->current == pd)
        core->current = 0;
}

/* Out of scheduling for good, throttled or not (restart, stop). */
void sched_drop(struct pd *pd)
{
    sched_remove(pd);
    pd->core->throttled &= ~bit(pd->rank);
}

/* The running pd's context ran out: it waits, runnable, for the refill. */
void sched_throttle(struct pd *pd)
{
    sched_remove(pd);
    pd->core->throttled |= bit(pd->rank);
}

/* pd's context is refilled: it competes for the CPU again. */
void sched_release(struct pd *pd)
{
    pd->core->throttled &= ~bit(pd->rank);
    sched_wake(pd);
}

/* (false for a PD of another core: its bit is set in its own core's masks only) */
bool sched_throttled(const struct core *core, const struct pd *pd)
{
    return core->throttled & bit(pd->rank);
}

/* The PD a time slice belongs to: a server's time while it serves a call
 * is its caller's, down the chain of calls to the PD that made the first. */
static struct pd *time_owner(struct pd *pd)
{
    while (pd->reply_to && pd->reply_to->state == PD_BLOCKED_CALL)
        pd = pd->reply_to; /* priorities fall along the chain: it ends */
    return pd;
}

/* Move pd's group on past pd, if a peer of pd is ready; true if it moved. */
static bool rotate_past(struct core *core, const struct pd *pd)
{
    uint64_t group = group_of_rank[pd->rank];
    if (!(core->ready & group & ~bit(pd->rank)))
        return false;
    unsigned base = lowest_rank(group);
    unsigned next = pd->rank + 1u;
    core->cursor[base] = (uint8_t)(group & bit(next) ? next : base);
    return true;
}

/* The running PD's slice ended: its peers get their turn, and so do the
 * peers of the PD it serves, so a PD cannot starve its equal-priority
 * peers by spending its time in calls to a higher-priority server. */
void sched_timeslice_expired(struct core *core)
{
    struct pd *cur = core->current;
    if (!cur)
        return;
    if (rotate_past(core, cur))
        core->current = 0;
    struct pd *owner = time_owner(cur);
    if (owner != cur && owner->core == core) /* (a caller on another core: its own slices) */
        rotate_past(core, owner);
}

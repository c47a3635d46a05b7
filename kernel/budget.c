/*
 * Scheduling contexts (docs/kernel.md, "Budgets"): a PD whose budget is
 * below its period may use budget counter ticks of CPU time in each
 * period, whatever its priority. Time is charged to the context in use,
 * not to the PD: a passive server runs a call on its caller's context, so
 * the caller pays for the call. The core charges a context when it
 * switches away from it and when the kernel's timer fires; the timer is
 * set for the earliest of the time slice's end, the running budget's end
 * and the first refill a throttled PD waits for. A PD whose context runs
 * out is throttled: runnable, but out of the ready set until the refill,
 * when the budget is full again and a new period starts. A context's
 * period starts when it is first used after its last one ended.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

static struct sched_context contexts[PRIDE_MAX_PDS];
static uint64_t slice_ticks, min_budget_ticks;

static uint64_t us_to_ticks(uint64_t us)
{
    return us * arch_counter_hz() / 1000000; /* (under 2^64: us < 2^32, hz < 2^32) */
}

/* pd's own context from its spec: none (unlimited) if budget = period. */
void budget_init(struct pd *pd)
{
    pd->passive = pd->spec->passive;
    pd->own_sc = 0;
    if (pd->spec->budget_us >= pd->spec->period_us)
        return;
    struct sched_context *sc = &contexts[pd->index];
    sc->budget = sc->remaining = us_to_ticks(pd->spec->budget_us);
    sc->period = us_to_ticks(pd->spec->period_us);
    sc->refill_at = 0; /* due: the first period starts at first use */
    sc->depleted = false;
    pd->own_sc = sc;
}

/* A new period if the last has ended: the budget full again. */
static void refill_if_due(struct core *core, struct sched_context *sc, uint64_t now)
{
    if (now < sc->refill_at)
        return;
    sc->remaining = sc->budget;
    sc->refill_at = now + sc->period;
    core->depleted -= sc->depleted;
    sc->depleted = false;
}

/* The running context's use since it was last charged. */
static void charge(struct core *core, uint64_t now)
{
    struct sched_context *sc = core->sc;
    if (sc) {
        uint64_t used = now - core->sc_since;
        sc->remaining = used < sc->remaining ? sc->remaining - used : 0;
    }
    core->sc_since = now;
}

static void set_timer(struct core *core, uint64_t deadline)
{
    core->timer_deadline = deadline;
    arch_timer_at(deadline);
}

static void rearm(struct core *core)
{
    uint64_t deadline = core->slice_end;
    struct sched_context *sc = core->sc;
    if (sc && !sc->depleted && core->sc_since + sc->remaining < deadline)
        deadline = core->sc_since + sc->remaining;
    for (unsigned i = 0; core->throttled && i < num_pds; i++)
        if (sched_throttled(core, &pds[i]) && pds[i].running_sc->refill_at < deadline)
            deadline = pds[i].running_sc->refill_at;
    set_timer(core, deadline);
}

void budget_start(struct core *core)
{
    slice_ticks = us_to_ticks(TIMESLICE_NS / 1000);
    min_budget_ticks = us_to_ticks(MIN_BUDGET_NS / 1000);
    core->slice_end = arch_counter_now() + slice_ticks;
    rearm(core);
}

/* The core runs on sc from now (kernel_exit calls only when it changes). */
void budget_switch(struct core *core, struct sched_context *sc)
{
    uint64_t now = arch_counter_now();
    charge(core, now);
    core->sc = sc;
    if (sc) {
        refill_if_due(core, sc, now);
        if (now + sc->remaining < core->timer_deadline)
            set_timer(core, now + sc->remaining); /* (a later deadline stays: it only comes early) */
    }
}

/* Throttled PDs whose context's refill is due are runnable again. */
static void release_refilled(struct core *core, uint64_t now)
{
    for (unsigned i = 0; core->throttled && i < num_pds; i++) {
        struct pd *pd = &pds[i];
        if (!sched_throttled(core, pd))
            continue;
        refill_if_due(core, pd->running_sc, now);
        if (!pd->running_sc->depleted)
            sched_release(pd);
    }
}

/* The kernel's timer fired: the running budget, refills, the slice. */
void budget_timer(struct core *core)
{
    uint64_t now = arch_counter_now();
    charge(core, now);
    struct sched_context *sc = core->sc;
    if (sc && !sc->depleted && sc->remaining < min_budget_ticks) {
        sc->depleted = true; /* current runs on it (kernel_exit keeps them in step) */
        core->depleted++;
        sched_throttle(core->current);
    }
    release_refilled(core, now);
    if (now >= core->slice_end) {
        core->slice_end = now + slice_ticks;
        sched_timeslice_expired(core);
    }
    rearm(core);
}

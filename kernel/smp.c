/*
 * More than one core (docs/kernel.md, "Multicore"). Every PD is pinned to
 * one core, and each core schedules its own PDs (sched.c); the kernel
 * itself runs on one core at a time, under one lock taken on every entry
 * from a PD and released on the way out and while idle. A system whose
 * PDs are all on one core takes no lock at all (core->shared is false).
 *
 * What one core asks of another goes through the reschedule SGI:
 *   - a PD woken for another core (a notification, a reply, an IRQ routed
 *     there) is made ready there, and that core is interrupted only if the
 *     PD should run before what it runs now;
 *   - a PD that another core must stop or restart while it runs there is
 *     first stalled: its core is interrupted and this one waits, holding
 *     the lock, until that core has saved the PD's registers and waits for
 *     the lock itself (core->in_kernel). The PD is then as still as a
 *     blocked one, and the core finds, once it has the lock, that it no
 *     longer has a current PD.
 * Only the lock holder changes another core's scheduling state, and it
 * never makes another core's current PD a different PD, only none: a core
 * always knows whose registers it saved.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

/* A ticket lock: cores take the kernel in the order they asked for it. */
static struct {
    uint32_t next_ticket;
    uint32_t serving;
} kernel_lock;

void smp_lock(struct core *core)
{
    /* (release: the registers just saved are seen by a core that stalls this one) */
    __atomic_store_n(&core->in_kernel, true, __ATOMIC_RELEASE);
    uint32_t ticket = __atomic_fetch_add(&kernel_lock.next_ticket, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&kernel_lock.serving, __ATOMIC_ACQUIRE) != ticket)
        arch_cpu_relax();
}

void smp_unlock(struct core *core)
{
    /* in_kernel clears before the lock is free: a core that stalls this
     * one after taking the lock sees false, and waits for the next entry. */
    __atomic_store_n(&core->in_kernel, false, __ATOMIC_RELAXED);
    __atomic_store_n(&kernel_lock.serving, kernel_lock.serving + 1, __ATOMIC_RELEASE);
}

static void poke(struct core *core)
{
    if (core->poked)
        return; /* one SGI on its way is enough */
    core->poked = true;
    arch_send_reschedule(core->index);
}

/* pd, on core (not this one), has just been made ready there. */
void smp_wake_remote(struct core *core, const struct pd *pd)
{
    const struct pd *cur = core->current;
    if (!cur || pd->priority > cur->priority)
        poke(core);
}

/* The reschedule SGI arrived: pick again (what the core ran is still in
 * its ready set if it may run on). */
void smp_poked(struct core *core)
{
    core->poked = false;
    core->current = 0;
}

/* Until pd's registers are saved in its context and its core waits for
 * the lock: a PD that runs on another core is about to be changed. */
void smp_stall(struct pd *pd)
{
    struct core *core = pd->core;
    if (core->current != pd || core == arch_this_core())
        return;
    poke(core);
    while (!__atomic_load_n(&core->in_kernel, __ATOMIC_ACQUIRE))
        arch_cpu_relax();
}

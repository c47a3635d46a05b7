/*
 * Per-core scheduler: 256 fixed priorities, round-robin within a priority,
 * O(1) choice of the highest ready priority through a two-level bitmap.
 * The running PD is never in a ready queue.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

static void bitmap_set(struct core *core, unsigned prio)
{
    core->ready_bitmap[prio / 64] |= 1ull << (prio % 64);
    core->ready_summary |= 1ull << (prio / 64);
}

static void bitmap_clear(struct core *core, unsigned prio)
{
    core->ready_bitmap[prio / 64] &= ~(1ull << (prio % 64));
    if (!core->ready_bitmap[prio / 64])
        core->ready_summary &= ~(1ull << (prio / 64));
}

static int highest_ready(const struct core *core)
{
    if (!core->ready_summary)
        return -1;
    unsigned word = 63 - (unsigned)__builtin_clzll(core->ready_summary);
    return (int)(64 * word + 63 - (unsigned)__builtin_clzll(core->ready_bitmap[word]));
}

static void enqueue(struct pd *pd, bool at_head)
{
    struct core *core = pd->core;
    struct ready_queue *q = &core->ready[pd->priority];
    if (!q->head) {
        pd->ready_next = pd->ready_prev = 0;
        q->head = q->tail = pd;
        bitmap_set(core, pd->priority);
    } else if (at_head) {
        pd->ready_prev = 0;
        pd->ready_next = q->head;
        q->head->ready_prev = pd;
        q->head = pd;
    } else {
        pd->ready_next = 0;
        pd->ready_prev = q->tail;
        q->tail->ready_next = pd;
        q->tail = pd;
    }
}

static void dequeue(struct pd *pd)
{
    struct core *core = pd->core;
    struct ready_queue *q = &core->ready[pd->priority];
    if (pd->ready_prev)
        pd->ready_prev->ready_next = pd->ready_next;
    else
        q->head = pd->ready_next;
    if (pd->ready_next)
        pd->ready_next->ready_prev = pd->ready_prev;
    else
        q->tail = pd->ready_prev;
    if (!q->head)
        bitmap_clear(core, pd->priority);
}

/*
 * Invariant: core->current, when set, is runnable and has a priority at least
 * as high as every ready PD. A PD that blocks leaves current empty first, so
 * a PD it wakes can take over the CPU directly, without a queue round trip.
 */
void sched_wake(struct pd *pd)
{
    struct core *core = pd->core;
    struct pd *cur = core->current;
    pd->state = PD_RUNNABLE;
    if (cur == pd)
        return;
    if (cur) {
        if (pd->priority > cur->priority) {
            enqueue(cur, true); /* preempted: first in line at its priority */
            core->current = pd;
        } else {
            enqueue(pd, false);
        }
    } else if ((int)pd->priority >= highest_ready(core)) {
        core->current = pd;
    } else {
        enqueue(pd, false);
    }
}

/* Take a PD that is about to block or stop out of scheduling. */
void sched_remove(struct pd *pd)
{
    if (pd->core->current == pd)
        pd->core->current = 0;
    else if (pd->state == PD_RUNNABLE)
        dequeue(pd);
}

void sched_timeslice_expired(struct core *core)
{
    struct pd *cur = core->current;
    if (cur && core->ready[cur->priority].head) {
        enqueue(cur, false);
        core->current = 0;
    }
}

static struct pd *take_highest_ready(struct core *core)
{
    int top = highest_ready(core);
    if (top < 0)
        return 0;
    struct pd *next = core->ready[top].head;
    dequeue(next);
    return next;
}

/* Leave the kernel: choose a PD (idling until one is runnable) and return
 * the context to resume. */
struct user_context *kernel_exit(struct core *core)
{
    while (!core->current) {
        core->current = take_highest_ready(core);
        if (core->current)
            break;
        arch_wait_for_interrupt();
        unsigned intid = arch_irq_acknowledge();
        if (intid != ARCH_SPURIOUS_INTID)
            kernel_irq(core, intid);
    }
    if (core->loaded != core->current) {
        arch_switch_to(core, core->current);
        core->loaded = core->current;
    }
    return &core->current->ctx;
}

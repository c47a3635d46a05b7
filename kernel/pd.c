/*
 * The PD table: installing each PD the boot spec describes (its channel
 * table, its IRQs, its first context), resetting a PD's context, and the
 * child control a parent has over its children (restart, stop).
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

struct pd pds[PRIDE_MAX_PDS];
unsigned num_pds;

/* Resolve pd's boot-spec channels into its fast channel table, with masks of
 * the channels it may notify and whose IRQs it may acknowledge. */
static void install_channels(struct pd *pd)
{
    for (unsigned ch = 0; ch < PRIDE_MAX_CHANNELS; ch++) {
        const struct bootspec_channel *spec = &pd->spec->channels[ch];
        struct channel *c = &pd->channels[ch];
        if (spec->kind == CH_PD) {
            c->peer = &pds[spec->peer_pd];
            c->peer_id = spec->peer_id;
            c->rights = (spec->flags & CH_MAY_NOTIFY ? RIGHT_NOTIFY : 0) |
                        (spec->flags & CH_MAY_PPC ? RIGHT_PPC : 0);
            if (c->rights & RIGHT_NOTIFY)
                pd->notify_channels |= 1ull << ch;
        } else if (spec->kind == CH_IRQ) {
            pd->irq_channels |= 1ull << ch;
            c->irq = spec->irq;
            c->rights = RIGHT_IRQ_ACK;
            irq_bind(pd, ch, spec->irq, spec->trigger);
        }
    }
}

void pd_install(struct core *cores, const struct bootspec *spec, unsigned index)
{
    struct pd *pd = &pds[index];
    pd->index = (uint8_t)index;
    pd->spec = &spec->pds[index];
    pd->priority = pd->spec->priority;
    pd->core = &cores[pd->spec->cpu];
    pd->ipc_buffer = (uint64_t *)(pd->spec->ipc_buffer_paddr + KERNEL_VOFFSET);
    arch_init_pd(pd, pd->spec->pgd_paddr);
    budget_init(pd);
    pd_reset_context(pd, pd->spec->entry);
    install_channels(pd);
}

/* Fresh registers, stack pointer and FP state; memory stays as it was. */
void pd_reset_context(struct pd *pd, uint64_t pc)
{
    for (unsigned i = 0; i < 31; i++)
        pd->ctx.x[i] = 0;
    pd->ctx.pc = pc;
    pd->ctx.sp = pd->spec->stack_top;
    pd->ctx.spsr = SPSR_EL0T;
    pd->ctx.tpidr = 0;
    pd->running_sc = pd->own_sc; /* init runs on the PD's own context */
    arch_fp_forget(pd->core, pd);
    if (pd->core->loaded == pd)
        pd->core->loaded = 0; /* (restarted from another core: installed afresh) */
}

/* SYS_PD_RESTART / SYS_PD_STOP of parent's child child_id. */
bool pd_child_control(struct pd *parent, unsigned sysno, uint64_t child_id, uint64_t pc)
{
    if (child_id >= PRIDE_MAX_CHANNELS || parent->spec->child_pd[child_id] == PRIDE_NO_PD)
        return false;
    struct pd *child = &pds[parent->spec->child_pd[child_id]];
    smp_stall(child);
    debug_flush(child);
    if (sysno == SYS_PD_STOP) {
        ipc_stop(child);
        return true;
    }
    ipc_detach(child);
    pd_reset_context(child, pc);
    sched_wake(child);
    return true;
}

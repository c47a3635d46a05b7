/*
 * Interrupt handling: each IRQ the system description gives a PD is bound
 * to one of its channels. When it fires, the kernel masks it at the
 * interrupt controller and notifies the channel; it stays masked until the
 * PD acknowledges it, so a PD is never interrupted faster than it handles
 * its device. An SPI is delivered to its PD's core. The kernel's own timer
 * ends time slices and budgets; the reschedule SGI comes from another core.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

struct irq_binding {
    struct pd *pd;
    uint8_t channel;
};
static struct irq_binding irq_bindings[MAX_INTID];

/* Route intid to pd's channel ch (masked until its first acknowledgement). */
void irq_bind(struct pd *pd, unsigned ch, unsigned intid, int edge)
{
    arch_irq_configure(intid, edge, pd->core->index);
    irq_bindings[intid].pd = pd;
    irq_bindings[intid].channel = (uint8_t)ch;
}

void irq_dispatch(struct core *core, unsigned intid)
{
    if (intid == ARCH_RESCHEDULE_INTID) {
        arch_irq_end(intid);
        smp_poked(core);
        return;
    }
    if (intid == PLAT_KERNEL_TIMER_INTID) {
        arch_irq_end(intid);
        budget_timer(core);
        return;
    }
    if (intid >= MAX_INTID)
        return;
    arch_irq_mask(intid);
    arch_irq_end(intid);
    struct irq_binding *binding = &irq_bindings[intid];
    if (binding->pd)
        ipc_signal(binding->pd, binding->channel);
}

bool irq_ack(struct pd *pd, uint64_t ch)
{
    const struct channel *c = channel_with(pd, ch, RIGHT_IRQ_ACK);
    if (!c)
        return false;
    arch_irq_unmask(c->irq);
    return true;
}

/* Acknowledge the IRQs of every channel in mask (checked by the caller). */
void irq_ack_channels(struct pd *pd, uint64_t mask)
{
    for (; mask; mask &= mask - 1)
        arch_irq_unmask(pd->channels[__builtin_ctzll(mask)].irq);
}

/*
 * Kernel entry and exit. Every way into the kernel from a PD (system calls
 * through syscall.c, exceptions and interrupts from the architecture's
 * vectors) leaves through kernel_exit, which resumes the running PD or
 * picks the next one, idling until one is runnable. Kept above both the
 * scheduler and interrupt dispatch, so neither calls the other back.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

/* Nothing is runnable: wait for interrupts and dispatch them until a PD is. */
__attribute__((noinline)) static struct pd *idle_until_runnable(struct core *core)
{
    struct pd *next;
    while (!(next = sched_pick(core))) {
        arch_wait_for_interrupt();
        unsigned intid = arch_irq_acknowledge();
        if (intid != ARCH_SPURIOUS_INTID)
            irq_dispatch(core, intid);
    }
    return next;
}

/* Leave the kernel: return the context of the PD to resume. */
struct user_context *kernel_exit(struct core *core)
{
    struct pd *next = core->current;
    if (__builtin_expect(!next, 0))
        next = core->current = idle_until_runnable(core);
    if (core->loaded != next) {
        arch_switch_to(core, next);
        core->loaded = next;
    }
    return &next->ctx;
}

/* The running PD took a synchronous exception other than a system call. */
struct user_context *kernel_exception(struct core *core, enum pride_fault_kind kind,
                                      uint64_t address, uint64_t esr)
{
    fault_raise(core->current, kind, address, esr);
    return kernel_exit(core);
}

struct user_context *kernel_interrupt(struct core *core, unsigned intid)
{
    if (intid != ARCH_SPURIOUS_INTID)
        irq_dispatch(core, intid);
    return kernel_exit(core);
}

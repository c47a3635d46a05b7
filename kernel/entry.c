/*
 * Kernel entry and exit. Every way into the kernel from a PD (system calls
 * through syscall.c, exceptions and interrupts from the architecture's
 * vectors) leaves through kernel_exit, which resumes the running PD or
 * picks the next one, idling until one is runnable. Kept above both the
 * scheduler and interrupt dispatch, so neither calls the other back.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

/* Every way in but a system call's (syscall.c) starts and ends so: with
 * PDs on more than one core, the kernel runs under its lock (smp.c). */
void kernel_enter(struct core *core)
{
    if (core->shared)
        smp_lock(core);
}

struct user_context *kernel_leave(struct core *core, struct user_context *ctx)
{
    if (core->shared)
        smp_unlock(core);
    return ctx;
}

/* Nothing is runnable: wait for interrupts and dispatch them until a PD
 * is. The other cores may use the kernel meanwhile. */
__attribute__((noinline)) static struct pd *idle_until_runnable(struct core *core)
{
    struct pd *next;
    while (!(next = sched_pick(core))) {
        if (core->sc)
            budget_switch(core, 0); /* idle time is nobody's */
        if (core->shared)
            smp_unlock(core);
        arch_wait_for_interrupt();
        if (core->shared)
            smp_lock(core);
        unsigned intid = arch_irq_acknowledge();
        if (intid != ARCH_SPURIOUS_INTID)
            irq_dispatch(core, intid);
    }
    return next;
}

/* kernel_exit's rare cases: nothing runnable (idle until something is),
 * or a PD to run on another budget than the one the core is charging.
 * Then back to kernel_exit, the two in step. */
__attribute__((noinline)) static struct user_context *exit_slow_path(struct core *core)
{
    if (!core->current)
        core->current = idle_until_runnable(core);
    if (core->current->running_sc != core->sc)
        budget_switch(core, core->current->running_sc);
    return kernel_exit(core);
}

/* Leave the kernel: return the context of the PD to resume. */
struct user_context *kernel_exit(struct core *core)
{
    struct pd *next = core->current;
    if (!next && (next = sched_pick(core)))
        core->current = next;
    if (__builtin_expect(!next || next->running_sc != core->sc, 0))
        return exit_slow_path(core);
    if (core->loaded != next) {
        arch_switch_to(core, next);
        core->loaded = next;
    }
    return &next->ctx;
}

/* The running PD took a synchronous exception other than a system call
 * (unless another core stopped or restarted it meanwhile: then no PD is
 * current, and the exception is of a PD that no longer runs). */
struct user_context *kernel_exception(struct core *core, enum pride_fault_kind kind,
                                      uint64_t address, uint64_t esr)
{
    if (core->current)
        fault_raise(core->current, kind, address, esr);
    return kernel_exit(core);
}

struct user_context *kernel_interrupt(struct core *core, unsigned intid)
{
    if (intid != ARCH_SPURIOUS_INTID)
        irq_dispatch(core, intid);
    return kernel_exit(core);
}

/*
 * System-call dispatch (include/pride/syscall.h). Every call checks all its
 * arguments before it has any effect, so a refused call faults the caller
 * (still the running PD) and has changed nothing. The calls of the event
 * loop's fast paths are dispatched here; the rest out of line, so that
 * their needs (values kept across calls) cost the fast paths nothing.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

/* A refused call faults its caller. */
__attribute__((noinline)) static struct user_context *refuse(struct core *core, struct pd *pd,
                                                             uint64_t sysno)
{
    fault_raise(pd, FAULT_BAD_SYSCALL, sysno, 0);
    return kernel_exit(core);
}

static inline struct user_context *finish(struct core *core, struct pd *pd, bool ok,
                                          uint64_t sysno)
{
    return ok ? kernel_exit(core) : refuse(core, pd, sysno);
}

__attribute__((noinline)) static struct user_context *rare_syscall(struct core *core,
                                                                   struct pd *pd, uint64_t sysno,
                                                                   uint64_t arg0, uint64_t arg1)
{
    bool ok;
    switch (sysno) {
    case SYS_PD_RESTART:
    case SYS_PD_STOP: ok = pd_child_control(pd, (unsigned)sysno, arg0, arg1); break;
    case SYS_DEBUG_WRITE: ok = debug_write(pd); break;
    default: ok = false; break;
    }
    return finish(core, pd, ok, sysno);
}

/* Entered with only the callee-saved registers saved; results go to
 * ctx.x[0..1] of whichever PD they are for. */
struct user_context *kernel_syscall(uint64_t arg0, uint64_t arg1, uint64_t arg2, uint64_t arg3,
                                    uint64_t sysno, struct core *core)
{
    struct pd *pd = core->current;
    bool ok;
    if (sysno == SYS_RECV) /* most frequent first: every event ends in one */
        ok = ipc_recv(pd, arg0, arg1, arg2, arg3);
    else if (sysno == SYS_PPCALL)
        ok = ipc_call(pd, arg0, arg1);
    else if (sysno == SYS_NOTIFY)
        ok = ipc_notify(pd, arg0);
    else if (sysno == SYS_IRQ_ACK)
        ok = irq_ack(pd, arg0);
    else
        return rare_syscall(core, pd, sysno, arg0, arg1);
    return finish(core, pd, ok, sysno);
}

/* With PDs on other cores: under the kernel lock, and only if the caller
 * is still current (another core may have stopped or restarted it while
 * this one waited for the lock: then the call is dropped). A function of
 * its own, so that the single-core path stays as it was. */
struct user_context *kernel_syscall_locked(uint64_t arg0, uint64_t arg1, uint64_t arg2,
                                           uint64_t arg3, uint64_t sysno, struct core *core)
{
    smp_lock(core);
    struct user_context *ctx = core->current ? kernel_syscall(arg0, arg1, arg2, arg3, sysno, core)
                                             : kernel_exit(core);
    smp_unlock(core);
    return ctx;
}

/*
 * Faults. A faulting PD stops where it is; its parent's event loop
 * receives the fault (and may resume, restart or stop the child: pd.c). A
 * PD without a parent is reported by the system monitor, a one-line report
 * on the console, and stays stopped. Nothing a PD does stops the rest of
 * the system.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

static const char *const fault_names[] = {
    [FAULT_DATA_ABORT] = "data abort",
    [FAULT_INSTRUCTION_ABORT] = "instruction abort",
    [FAULT_UNDEFINED_INSTRUCTION] = "undefined instruction",
    [FAULT_ALIGNMENT] = "misaligned pc or sp",
    [FAULT_BAD_SYSCALL] = "bad syscall",
    [FAULT_OTHER] = "other exception",
};

static struct pd *parent_of(const struct pd *pd)
{
    return pd->spec->parent == PRIDE_NO_PD ? 0 : &pds[pd->spec->parent];
}

static void monitor_report(const struct pd *pd)
{
    kprintf("pride: fault: pd=%s kind=%s pc=0x%lx addr=0x%lx esr=0x%lx\n", pd->spec->name,
            fault_names[pd->fault_kind], pd->fault_pc, pd->fault_address, pd->fault_esr);
}

void fault_deliver(struct pd *parent, struct pd *child)
{
    uint64_t *mr = parent->ipc_buffer;
    mr[FAULT_MR_PC] = child->fault_pc;
    mr[FAULT_MR_ADDRESS] = child->fault_address;
    mr[FAULT_MR_ESR] = child->fault_esr;
    parent->ctx.x[0] = EVENT_MAKE(EVENT_FAULT, child->spec->id_in_parent);
    parent->ctx.x[1] = ((uint64_t)child->fault_kind << MSGINFO_LABEL_SHIFT) | FAULT_MR_COUNT;
    parent->reply_to = child;
    parent->running_sc = parent->own_sc;
    child->waiting_on = parent;
}

/* pd (the PD that trapped or made a rejected call) stops where it is. It
 * answers no one while faulted: its caller and the callers queued on it get
 * an error reply at once, which also frees a parent blocked calling it, and
 * a child fault it was handling waits for it again. */
void fault_raise(struct pd *pd, enum pride_fault_kind kind, uint64_t address, uint64_t esr)
{
    pd->fault_kind = (uint8_t)kind;
    pd->fault_pc = pd->ctx.pc;
    pd->fault_address = address;
    pd->fault_esr = esr;
    debug_flush(pd);
    sched_remove(pd);
    pd->state = PD_FAULTED;
    ipc_interrupt_reply(pd);
    ipc_release_queued_callers(pd);
    struct pd *parent = parent_of(pd);
    if (!parent) {
        monitor_report(pd);
        pd->state = PD_STOPPED;
    } else if (parent->state == PD_BLOCKED_RECV) {
        fault_deliver(parent, pd);
        sched_wake(parent);
    } else {
        pd->waiting_on = parent;
        ipc_queue_sender(parent, pd);
    }
}


/*
 * Portable kernel core: protection domains, per-core scheduler state and the
 * operations between them. Architecture specifics sit behind arch/arch.h.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <pride/bootspec.h>
#include <pride/platform.h>
#include <pride/syscall.h>
#include <arch/context.h>

#define TIMESLICE_NS   5000000ULL
#define MIN_BUDGET_NS  10000ULL   /* less left than this counts as none: no interrupt storms */
#define MAX_INTID      PLAT_GIC_NUM_INTIDS /* bounds every table indexed by INTID */

enum pd_state {
    PD_RUNNABLE,     /* current, or in its core's ready queue */
    PD_BLOCKED_RECV, /* waiting for a notification, PPC or child fault */
    PD_BLOCKED_CALL, /* made a PPC; waiting to be served and answered */
    /* From here on a PD cannot answer calls until its parent acts. */
    PD_FAULTED,      /* waiting for its parent to resume, restart or stop it */
    PD_STOPPED,      /* stopped by its parent, or faulted with no parent */
};

struct core;
struct pd;

/* A PD's view of one of its channels, resolved at boot for fast checks. */
enum channel_right {
    RIGHT_NOTIFY = 1 << 0,
    RIGHT_PPC = 1 << 1,
    RIGHT_IRQ_ACK = 1 << 2,
};

/* A budget of CPU time per period (budget.c), for a PD whose budget is
 * less than its period; PDs without one (budget = period, the default)
 * are never throttled and cost the scheduler nothing. Counter ticks. */
struct sched_context {
    uint64_t budget, period;
    uint64_t remaining; /* of this period's budget */
    uint64_t refill_at; /* when remaining is set back to budget */
    bool depleted;      /* remaining ran out: whoever runs on it waits for refill_at */
};

struct channel {
    struct pd *peer;   /* PD at the other end, if any */
    uint8_t peer_id;   /* channel id at the other end */
    uint8_t rights;    /* enum channel_right */
    uint16_t irq;      /* INTID, with RIGHT_IRQ_ACK */
};

struct pd {
    struct user_context ctx;
    struct arch_pd arch;
    uint64_t *ipc_buffer;   /* the PD's message words, via the kernel map */
    uint64_t pending;       /* notified channels not yet received */

    /* PDs waiting for this PD's next receive: callers and faulted children. */
    struct pd *senders_head, *senders_tail, *sender_next;
    struct pd *reply_to;    /* caller or faulted child this PD must answer */
    struct pd *waiting_on;  /* callee or parent this PD waits for */

    uint64_t group_floor;   /* bit of the lowest rank of pd's priority (sched.c) */
    /* The PD's own scheduling context (NULL: unlimited) and the one it runs
     * on now: its own, or, a passive PD serving a call, its caller's. */
    struct sched_context *own_sc, *running_sc;
    uint64_t call_msginfo;  /* valid in PD_BLOCKED_CALL */
    uint8_t call_channel;   /* callee-side id of the pending call */
    uint8_t state;
    uint8_t priority;
    uint8_t index;
    uint8_t rank;           /* position in priority order (sched.c) */
    uint8_t passive;        /* serves calls on its callers' scheduling contexts */

    uint8_t fault_kind;     /* valid in PD_FAULTED */
    uint64_t fault_pc, fault_address, fault_esr;

    const struct bootspec_pd *spec;
    struct core *core;
    struct channel channels[PRIDE_MAX_CHANNELS];
    uint64_t notify_channels; /* channels with RIGHT_NOTIFY, bit n = channel n */
    uint64_t irq_channels;    /* channels with RIGHT_IRQ_ACK */
};

struct core {
    uint64_t kstack_top;    /* first: the exception entry code reads it */
    bool shared;            /* other cores run PDs too: the kernel takes its lock */
    bool in_kernel;         /* its PD's registers are saved: it waits for or holds the lock */
    bool poked;             /* a reschedule SGI is on its way to it */
    uint8_t index;          /* 0 boots; the GIC's and PSCI's number for it */
    struct pd *current;     /* running PD (never in a ready queue), or NULL */
    struct pd *loaded;      /* PD whose address space is installed */
    struct arch_core arch;
    uint64_t ready;         /* runnable PDs (current included), bit = rank */
    uint8_t cursor[PRIDE_MAX_PDS]; /* round-robin position, by group's lowest rank */
    uint64_t throttled;     /* runnable PDs waiting for their context's refill, bit = rank */
    unsigned depleted;      /* contexts run out and not yet refilled */
    struct sched_context *sc; /* the context being charged (current's), or NULL */
    uint64_t sc_since;      /* counter value it was last charged to */
    uint64_t slice_end;     /* counter value the running time slice ends at */
    uint64_t timer_deadline; /* what the kernel's timer is set for */
};

_Static_assert(__builtin_offsetof(struct core, kstack_top) == CORE_KSTACK_TOP, "core kstack_top");
_Static_assert(__builtin_offsetof(struct core, shared) == CORE_SHARED, "core shared");

extern struct pd pds[PRIDE_MAX_PDS];
extern unsigned num_pds;

/* pd's channel ch if it carries the right, else NULL. */
static inline const struct channel *channel_with(const struct pd *pd, uint64_t ch, unsigned right)
{
    if (ch >= PRIDE_MAX_CHANNELS || !(pd->channels[ch].rights & right))
        return 0;
    return &pd->channels[ch];
}

/*
 * Layers, each calling only those below it:
 *   entry.c, syscall.c  kernel entry and exit, system-call dispatch
 *   pd.c, fault.c       the PD table, child control, faults
 *   ipc.c, irq.c        notifications, calls, receive; interrupt dispatch
 *   budget.c            scheduling contexts: charging, throttling, refills
 *   sched.c, print.c    the scheduler; console output
 *   smp.c               the kernel lock; what one core asks of another
 */

/* entry.c: the ways in from a PD, and the way out. */
struct user_context *kernel_exit(struct core *core);
struct user_context *kernel_exception(struct core *core, enum pride_fault_kind kind,
                                      uint64_t address, uint64_t esr);
struct user_context *kernel_interrupt(struct core *core, unsigned intid);
void kernel_enter(struct core *core);
struct user_context *kernel_leave(struct core *core, struct user_context *ctx);

/* syscall.c: the second with PDs on other cores (vectors.S picks) */
struct user_context *kernel_syscall(uint64_t arg0, uint64_t arg1, uint64_t arg2, uint64_t arg3,
                                    uint64_t number, struct core *core);
struct user_context *kernel_syscall_locked(uint64_t arg0, uint64_t arg1, uint64_t arg2,
                                           uint64_t arg3, uint64_t number, struct core *core);

/* pd.c */
void pd_install(struct core *cores, const struct bootspec *spec, unsigned index);
void pd_reset_context(struct pd *pd, uint64_t pc);
bool pd_child_control(struct pd *parent, unsigned sysno, uint64_t child_id, uint64_t pc);

/* fault.c */
void fault_raise(struct pd *pd, enum pride_fault_kind kind, uint64_t address, uint64_t esr);
void fault_deliver(struct pd *parent, struct pd *child);

/* ipc.c: the system calls return false, having done nothing, if refused. */
bool ipc_notify(struct pd *pd, uint64_t ch);
bool ipc_call(struct pd *pd, uint64_t ch, uint64_t msginfo);
bool ipc_recv(struct pd *pd, uint64_t reply_msginfo, uint64_t with_reply, uint64_t notify_mask,
              uint64_t ack_mask);
void ipc_signal(struct pd *pd, unsigned channel);
void ipc_queue_sender(struct pd *receiver, struct pd *sender);
void ipc_detach(struct pd *pd);
void ipc_interrupt_reply(struct pd *pd);
void ipc_release_queued_callers(struct pd *pd);
void ipc_stop(struct pd *pd);

/* irq.c */
void irq_bind(struct pd *pd, unsigned ch, unsigned intid, int edge);
void irq_dispatch(struct core *core, unsigned intid);
bool irq_ack(struct pd *pd, uint64_t ch);
void irq_ack_channels(struct pd *pd, uint64_t mask);

/* budget.c */
void budget_init(struct pd *pd);
void budget_start(struct core *core);
void budget_switch(struct core *core, struct sched_context *sc);
void budget_timer(struct core *core);

/* sched.c */
void sched_init(void);
void sched_wake(struct pd *pd);
void sched_remove(struct pd *pd);
void sched_drop(struct pd *pd);
void sched_throttle(struct pd *pd);
void sched_release(struct pd *pd);
bool sched_throttled(const struct core *core, const struct pd *pd);
void sched_timeslice_expired(struct core *core);
struct pd *sched_pick(struct core *core);

/* print.c */
void kprintf(const char *fmt, ...);
bool debug_write(struct pd *pd);
void debug_flush(struct pd *pd);
_Noreturn void kernel_panic(const char *why);

/* smp.c */
void smp_lock(struct core *core);
void smp_unlock(struct core *core);
void smp_wake_remote(struct core *core, const struct pd *pd);
void smp_poked(struct core *core);
void smp_stall(struct pd *pd);

#endif

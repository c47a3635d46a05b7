/*
 * The Microkit API on the Pride kernel.
 *
 * A PD provides init() and notified(), and optionally protected() and
 * fault(). The library's event loop calls init() once, before anything else,
 * then one entry point per event: notified() once per pending channel,
 * protected() for a protected procedure call (its return value is the
 * reply), fault() when a child PD faults.
 *
 * Calls are inline system calls; message words live in this PD's IPC buffer.
 */
#ifndef MICROKIT_H
#define MICROKIT_H

#include <stdbool.h>
#include <stdint.h>
#include <pride/syscall.h>

typedef unsigned int microkit_channel;
typedef unsigned int microkit_child;
typedef uint64_t microkit_msginfo;

/* The few seL4 names Microkit programs commonly use. */
typedef uint64_t seL4_Word;
typedef uint8_t seL4_Bool;
#define seL4_True  ((seL4_Bool)1)
#define seL4_False ((seL4_Bool)0)

#define MICROKIT_MAX_CHANNELS   62
#define MICROKIT_PD_NAME_LENGTH 64
#define MICROKIT_MAX_MRS        64

/* Entry points, defined by the PD program. */
void init(void);
void notified(microkit_channel ch);
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo);
seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo);

/* Filled in by the build tool. */
extern char microkit_name[MICROKIT_PD_NAME_LENGTH];
extern seL4_Bool microkit_passive;
extern uint64_t microkit_irqs;          /* bit n: channel n is an IRQ */
extern uint64_t microkit_notifications; /* bit n: channel n leads to a PD */
extern uint64_t microkit_pps;           /* bit n: channel n allows PPC */

/* The PD's message words; the kernel copies them on PPC and reply. */
extern uint64_t pride_ipc_buffer[PRIDE_IPC_BUFFER_BYTES / 8];
/* Actions fused into the next receive: bit n = channel n. */
struct pride_deferred {
    uint64_t notify, irq_ack;
};
extern struct pride_deferred pride_deferred;

#define PRIDE_SYSCALL_CLOBBERS "x2", "x3", "x4", "x5", "x6", "x7", "x9", "x10", "x11", \
    "x12", "x13", "x14", "x15", "x16", "x17", "x18", "memory"

static inline uint64_t pride_syscall(uint64_t number, uint64_t arg0, uint64_t arg1)
{
    register uint64_t x0 __asm__("x0") = arg0;
    register uint64_t x1 __asm__("x1") = arg1;
    register uint64_t x8 __asm__("x8") = number;
    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1), "+r"(x8) : : PRIDE_SYSCALL_CLOBBERS);
    return x0;
}

static inline microkit_msginfo microkit_msginfo_new(uint64_t label, uint16_t count)
{
    return (label << MSGINFO_LABEL_SHIFT) | (count & ((1u << MSGINFO_COUNT_BITS) - 1));
}

static inline uint64_t microkit_msginfo_get_label(microkit_msginfo msginfo)
{
    return msginfo >> MSGINFO_LABEL_SHIFT;
}

static inline uint64_t microkit_msginfo_get_count(microkit_msginfo msginfo)
{
    return msginfo & ((1u << MSGINFO_COUNT_BITS) - 1);
}

static inline void microkit_mr_set(uint8_t mr, uint64_t value)
{
    pride_ipc_buffer[mr] = value;
}

static inline uint64_t microkit_mr_get(uint8_t mr)
{
    return pride_ipc_buffer[mr];
}

static inline void microkit_notify(microkit_channel ch)
{
    pride_syscall(SYS_NOTIFY, ch, 0);
}

static inline void microkit_irq_ack(microkit_channel ch)
{
    pride_syscall(SYS_IRQ_ACK, ch, 0);
}

/* Calls the PD at the other end of ch (which must have higher priority) and
 * returns its reply. If that PD is stopped, or restarted before replying,
 * the reply's label is PPC_ERROR_LABEL. */
static inline microkit_msginfo microkit_ppcall(microkit_channel ch, microkit_msginfo msginfo)
{
    return pride_syscall(SYS_PPCALL, ch, msginfo);
}

/* Deferred calls happen in the same kernel entry as the next receive, when
 * the current handler returns: no extra kernel entry, and a notified PD of
 * higher priority does not preempt the handler. Unlike Microkit on seL4,
 * any number can wait (one per channel; repeats merge, as notifications do). */
static inline void microkit_deferred_notify(microkit_channel ch)
{
    pride_deferred.notify |= 1ull << ch;
}

static inline void microkit_deferred_irq_ack(microkit_channel ch)
{
    pride_deferred.irq_ack |= 1ull << ch;
}

/* Where every program built with libmicrokit/microkit.ld starts: _start,
 * first in .text (a Pride name; Microkit programs pass their own). */
#define PRIDE_PROGRAM_ENTRY 0x200000

/* Restart a child PD at entry_point with a fresh stack and registers. */
static inline void microkit_pd_restart(microkit_child pd, uint64_t entry_point)
{
    pride_syscall(SYS_PD_RESTART, pd, entry_point);
}

static inline void microkit_pd_stop(microkit_child pd)
{
    pride_syscall(SYS_PD_STOP, pd, 0);
}

/* Debug output, collected in the PD's debug area and handed to the kernel a
 * line at a time (pride/syscall.h): lines of different PDs never mix. */
void microkit_dbg_putc(int c);
void microkit_dbg_puts(const char *s);

#endif

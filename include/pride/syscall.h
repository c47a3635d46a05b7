/*
 * Kernel system-call ABI, shared by the kernel and libmicrokit.
 *
 * A PD enters the kernel with `svc #0`, the call number in x8 and arguments in
 * x0..x3. Results come back in x0..x1. Registers x0..x18 are clobbered by
 * every call (the caller-saved set of the AAPCS64), so the kernel need not
 * preserve them across a system call.
 *
 * Message words (MRs) live in each PD's IPC buffer, a page the kernel reaches
 * through its own mapping; a PPC copies `count` words between the buffers.
 */
#ifndef PRIDE_SYSCALL_H
#define PRIDE_SYSCALL_H

#include <pride/bootspec.h>

enum pride_syscall {
    SYS_NOTIFY = 0,     /* x0 = channel */
    SYS_IRQ_ACK = 1,    /* x0 = channel */
    SYS_PPCALL = 2,     /* x0 = channel, x1 = msginfo -> x0 = reply msginfo */
    SYS_RECV = 3,       /* x0 = reply msginfo, x1 = REPLY_* flag, x2 = channels
                           to notify, x3 = IRQ channels to ack (deferred
                           actions, bit n = channel n) -> x0 = event,
                           x1 = badge or msginfo */
    SYS_PD_RESTART = 4, /* x0 = child id, x1 = new pc */
    SYS_PD_STOP = 5,    /* x0 = child id */
    SYS_DEBUG_WRITE = 6, /* print the caller's debug area (below) and empty it */
    SYS_COUNT
};

/*
 * Debug output: each PD's IPC buffer page holds, after its message words, a
 * debug area where libmicrokit collects output until a line ends (or the
 * area is full), then hands it over with one SYS_DEBUG_WRITE. The kernel
 * prints it a whole line at a time and empties it; it also prints what is
 * pending there when the PD faults, is restarted or stopped.
 */
#define PRIDE_IPC_BUFFER_BYTES 4096
#define PRIDE_DEBUG_AREA_OFFSET (8 * PRIDE_MAX_MRS)
#define PRIDE_DEBUG_AREA_BYTES (PRIDE_IPC_BUFFER_BYTES - PRIDE_DEBUG_AREA_OFFSET - 4)
#ifndef __ASSEMBLER__
#include <stdint.h>
struct pride_debug_area {
    uint32_t length;                     /* bytes pending; set by the PD, emptied by the kernel */
    char bytes[PRIDE_DEBUG_AREA_BYTES];
};
#endif

/* SYS_RECV x1: whether x0 carries a reply to the last PPC or fault received. */
#define RECV_NO_REPLY   0
#define RECV_WITH_REPLY 1


/* SYS_RECV result x0: kind in bits 0..7, channel or child id in bits 8..15. */
enum pride_event_kind {
    EVENT_NOTIFICATION = 1, /* x1 = bitmask of channels that were notified */
    EVENT_PPC = 2,          /* x1 = msginfo; MRs in the IPC buffer */
    EVENT_FAULT = 3,        /* x1 = msginfo: label = fault kind, MRs below */
};
#define EVENT_KIND(e) ((e) & 0xffu)
#define EVENT_ID(e)   (((e) >> 8) & 0xffu)
#define EVENT_MAKE(kind, id) ((unsigned long)(kind) | ((unsigned long)(id) << 8))

/* msginfo: label in bits 12..63, message word count in bits 0..6. */
#define MSGINFO_COUNT_BITS 7
#define MSGINFO_LABEL_SHIFT 12

/* Fault kinds (msginfo label of EVENT_FAULT) and the MRs that describe them. */
enum pride_fault_kind {
    FAULT_DATA_ABORT = 1,
    FAULT_INSTRUCTION_ABORT = 2,
    FAULT_UNDEFINED_INSTRUCTION = 3,
    FAULT_ALIGNMENT = 4,   /* misaligned PC or SP */
    FAULT_BAD_SYSCALL = 5, /* bad number, channel not owned, PPC without pp... */
    FAULT_OTHER = 6,       /* any other synchronous exception (e.g. brk) */
};
#define FAULT_MR_PC      0
#define FAULT_MR_ADDRESS 1 /* faulting address; the syscall number for BAD_SYSCALL */
#define FAULT_MR_ESR     2 /* raw exception syndrome */
#define FAULT_MR_COUNT   3

/* Label of the reply a caller gets if its server is stopped or restarted mid-call. */
#define PPC_ERROR_LABEL 0xDEADull

#endif

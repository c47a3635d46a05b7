/*
 * Communication between PDs: notifications, protected procedure calls,
 * the receive primitive of the event loop, and the wait relations between
 * PDs that faults, restarts and stops must undo (docs/kernel.md, "Life
 * cycle").
 *
 * Every operation checks the caller's rights against its channel table and
 * returns false, having done nothing, if it lacks them: the system-call
 * layer (syscall.c) then faults the caller.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

static unsigned msg_count(uint64_t msginfo)
{
    return msginfo & ((1u << MSGINFO_COUNT_BITS) - 1);
}


/* Complete pd's pending receive with its notification bits. */
static void deliver_notifications(struct pd *pd)
{
    pd->ctx.x[0] = EVENT_NOTIFICATION;
    pd->ctx.x[1] = pd->pending;
    pd->pending = 0;
    pd->running_sc = pd->own_sc;
}

/* Complete server's receive with caller's PPC; a passive server runs it
 * on the caller's scheduling context (the caller pays for its call). */
static void deliver_call(struct pd *server, struct pd *caller)
{
    const uint64_t *src = caller->ipc_buffer;
    uint64_t *dst = server->ipc_buffer;
    for (unsigned i = msg_count(caller->call_msginfo); i--;)
        dst[i] = src[i];
    server->ctx.x[0] = EVENT_MAKE(EVENT_PPC, caller->call_channel);
    server->ctx.x[1] = caller->call_msginfo;
    server->reply_to = caller;
    if (server->passive) /* (an active server always runs on its own) */
        server->running_sc = caller->running_sc;
}

void ipc_signal(struct pd *pd, unsigned channel)
{
    pd->pending |= 1ull << channel;
    if (pd->state == PD_BLOCKED_RECV) {
        deliver_notifications(pd);
        sched_wake(pd);
    }
}

void ipc_queue_sender(struct pd *receiver, struct pd *sender)
{
    sender->sender_next = 0;
    if (receiver->senders_tail)
        receiver->senders_tail->sender_next = sender;
    else
        receiver->senders_head = sender;
    receiver->senders_tail = sender;
}

static void unlink_sender(struct pd *receiver, struct pd *sender)
{
    struct pd **link = &receiver->senders_head;
    struct pd *prev = 0;
    while (*link && *link != sender) {
        prev = *link;
        link = &(*link)->sender_next;
    }
    if (!*link)
        return;
    *link = sender->sender_next;
    if (receiver->senders_tail == sender)
        receiver->senders_tail = prev;
}

/* Hand pd the next event if one is waiting; false if it must block. */
static bool receive(struct pd *pd)
{
    if (pd->pending) {
        deliver_notifications(pd);
        return true;
    }
    struct pd *sender = pd->senders_head;
    if (!sender)
        return false;
    pd->senders_head = sender->sender_next;
    if (!pd->senders_head)
        pd->senders_tail = 0;
    if (sender->state == PD_BLOCKED_CALL)
        deliver_call(pd, sender);
    else
        fault_deliver(pd, sender);
    return true;
}

/* Answer a caller (with msginfo) or resume a faulted child. */
static void reply(struct pd *pd, uint64_t msginfo)
{
    struct pd *target = pd->reply_to;
    if (!target)
        return;
    pd->reply_to = 0;
    target->waiting_on = 0;
    if (target->state == PD_BLOCKED_CALL) {
        const uint64_t *src = pd->ipc_buffer;
        uint64_t *dst = target->ipc_buffer;
        for (unsigned i = msg_count(msginfo); i--;)
            dst[i] = src[i];
        target->ctx.x[0] = msginfo;
    }
    sched_wake(target);
}

/* A caller whose server went away gets an error reply instead of hanging. */
static void release_caller(struct pd *caller)
{
    caller->waiting_on = 0;
    caller->ctx.x[0] = PPC_ERROR_LABEL << MSGINFO_LABEL_SHIFT;
    sched_wake(caller);
}

/* Put a faulted child back at the head of parent's queue: its fault was
 * delivered but the parent was interrupted before answering it. */
static void requeue_fault(struct pd *parent, struct pd *child)
{
    child->sender_next = parent->senders_head;
    parent->senders_head = child;
    if (!parent->senders_tail)
        parent->senders_tail = child;
}

/* pd will not answer its reply target: a caller gets an error reply at
 * once; a faulted child is returned for the caller of this to decide on. */
static struct pd *drop_reply_target(struct pd *pd)
{
    struct pd *target = pd->reply_to;
    if (!target)
        return 0;
    pd->reply_to = 0;
    if (target->state == PD_BLOCKED_CALL) {
        release_caller(target);
        return 0;
    }
    return target;
}

/* pd's handler finished without answering: a fault counts as handled, the
 * child staying faulted until its parent restarts or stops it. */
static void finish_without_reply(struct pd *pd)
{
    struct pd *child = drop_reply_target(pd);
    if (child)
        child->waiting_on = 0;
}

/* pd faulted, or is being restarted or stopped, in the middle of a handler:
 * an unanswered child fault is not lost but delivered again at pd's next
 * receive. */
void ipc_interrupt_reply(struct pd *pd)
{
    struct pd *child = drop_reply_target(pd);
    if (child)
        requeue_fault(pd, child);
}

/* pd cannot serve calls now (faulted or stopped): queued callers get an
 * error reply, while faulted children stay queued for pd's next start. */
void ipc_release_queued_callers(struct pd *pd)
{
    struct pd *sender = pd->senders_head;
    pd->senders_head = pd->senders_tail = 0;
    for (struct pd *next; sender; sender = next) {
        next = sender->sender_next;
        if (sender->state == PD_BLOCKED_CALL)
            release_caller(sender);
        else
            ipc_queue_sender(pd, sender);
    }
}

/* Cut pd out of every wait relation and of scheduling (restart, stop). */
void ipc_detach(struct pd *pd)
{
    struct pd *other = pd->waiting_on;
    if (other) {
        if (other->reply_to == pd)
            other->reply_to = 0;
        else
            unlink_sender(other, pd);
        pd->waiting_on = 0;
    }
    sched_drop(pd);
    ipc_interrupt_reply(pd);
}

void ipc_stop(struct pd *pd)
{
    ipc_detach(pd);
    pd->state = PD_STOPPED;
    ipc_release_queued_callers(pd);
}

bool ipc_notify(struct pd *pd, uint64_t ch)
{
    const struct channel *c = channel_with(pd, ch, RIGHT_NOTIFY);
    if (!c)
        return false;
    ipc_signal(c->peer, c->peer_id);
    return true;
}

bool ipc_call(struct pd *pd, uint64_t ch, uint64_t msginfo)
{
    const struct channel *c = channel_with(pd, ch, RIGHT_PPC);
    if (!c || msg_count(msginfo) > PRIDE_MAX_MRS)
        return false;
    struct pd *server = c->peer;
    /* A faulted or stopped server cannot answer until its parent acts, and
     * that parent may be the caller: waiting could deadlock. */
    if (server->state >= PD_FAULTED) {
        pd->ctx.x[0] = PPC_ERROR_LABEL << MSGINFO_LABEL_SHIFT;
        return true;
    }
    pd->call_msginfo = msginfo;
    pd->call_channel = c->peer_id;
    pd->waiting_on = server;
    sched_remove(pd);
    pd->state = PD_BLOCKED_CALL;
    if (server->state == PD_BLOCKED_RECV) {
        deliver_call(server, pd);
        sched_wake(server);
    } else {
        ipc_queue_sender(server, pd);
    }
    return true;
}

/* Deferred actions: bit n of a mask names channel n. All are checked
 * before any is done, so that a bad mask faults its caller only, before the
 * notifications it names could have woken anyone. */
static bool deferred_allowed(const struct pd *pd, uint64_t notify_mask, uint64_t ack_mask)
{
    return !(notify_mask & ~pd->notify_channels) && !(ack_mask & ~pd->irq_channels);
}

static void do_deferred(struct pd *pd, uint64_t notify_mask, uint64_t ack_mask)
{
    for (; notify_mask; notify_mask &= notify_mask - 1) {
        const struct channel *c = &pd->channels[__builtin_ctzll(notify_mask)];
        ipc_signal(c->peer, c->peer_id);
    }
    irq_ack_channels(pd, ack_mask);
}

bool ipc_recv(struct pd *pd, uint64_t reply_msginfo, uint64_t with_reply,
              uint64_t notify_mask, uint64_t ack_mask)
{
    if (with_reply > RECV_WITH_REPLY || msg_count(reply_msginfo) > PRIDE_MAX_MRS)
        return false;
    if (notify_mask | ack_mask) {
        if (!deferred_allowed(pd, notify_mask, ack_mask))
            return false;
        do_deferred(pd, notify_mask, ack_mask);
    }
    /* Block before replying, so that the PD answered can take over the CPU
     * directly; the reply cannot give pd new events. */
    bool blocks = !pd->pending && !pd->senders_head;
    if (blocks) {
        sched_remove(pd);
        pd->state = PD_BLOCKED_RECV;
    }
    if (with_reply)
        reply(pd, reply_msginfo);
    else
        finish_without_reply(pd);
    if (!blocks)
        receive(pd);
    return true;
}


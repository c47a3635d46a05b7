/*
 * The PD event loop: acknowledge every IRQ once (IRQs start masked), run
 * init(), then receive events forever, answering each PPC or child fault in
 * the same kernel entry that waits for the next event.
 */
#include <microkit.h>

/* Patched by the build tool; .data gives them a place in the image. */
__attribute__((section(".data"))) char microkit_name[MICROKIT_PD_NAME_LENGTH] = "";
__attribute__((section(".data"))) seL4_Bool microkit_passive = 0;
__attribute__((section(".data"))) uint64_t microkit_irqs = 0;
__attribute__((section(".data"))) uint64_t microkit_notifications = 0;
__attribute__((section(".data"))) uint64_t microkit_pps = 0;

__attribute__((aligned(4096), section(".bss.ipc_buffer")))
uint64_t pride_ipc_buffer[PRIDE_IPC_BUFFER_BYTES / 8];
struct pride_deferred pride_deferred;

struct event {
    uint64_t kind_and_id;
    uint64_t value; /* notification bits or msginfo */
};

/* Waits for the next event, first replying (if with_reply) and doing the
 * deferred notifications and IRQ acknowledgements. */
static struct event receive(uint64_t reply_msginfo, uint64_t with_reply)
{
    register uint64_t x0 __asm__("x0") = reply_msginfo;
    register uint64_t x1 __asm__("x1") = with_reply;
    register uint64_t x2 __asm__("x2") = pride_deferred.notify;
    register uint64_t x3 __asm__("x3") = pride_deferred.irq_ack;
    register uint64_t x8 __asm__("x8") = SYS_RECV;
    pride_deferred = (struct pride_deferred){0, 0};
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x8)
                     :
                     : "x4", "x5", "x6", "x7", "x9", "x10", "x11", "x12", "x13", "x14",
                       "x15", "x16", "x17", "x18", "memory");
    return (struct event){x0, x1};
}


static void complain(const char *what)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(" not implemented\n");
}

__attribute__((weak)) void notified(microkit_channel ch)
{
    (void)ch;
    complain("notified()");
}

__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    complain("protected()");
    return microkit_msginfo_new(0, 0);
}

__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo,
                                      microkit_msginfo *reply_msginfo)
{
    (void)child;
    (void)msginfo;
    (void)reply_msginfo;
    complain("fault()");
    return seL4_False;
}

static void dispatch_notifications(uint64_t bits)
{
    while (bits) {
        microkit_channel ch = (microkit_channel)__builtin_ctzll(bits);
        bits &= bits - 1;
        notified(ch);
    }
}

_Noreturn void pride_main(void)
{
    for (uint64_t irqs = microkit_irqs; irqs; irqs &= irqs - 1)
        microkit_irq_ack((microkit_channel)__builtin_ctzll(irqs));
    init();

    uint64_t reply_msginfo = 0, with_reply = RECV_NO_REPLY;
    for (;;) {
        struct event ev = receive(reply_msginfo, with_reply);
        with_reply = RECV_NO_REPLY;
        switch (EVENT_KIND(ev.kind_and_id)) {
        case EVENT_NOTIFICATION:
            dispatch_notifications(ev.value);
            break;
        case EVENT_PPC:
            reply_msginfo = protected(EVENT_ID(ev.kind_and_id), ev.value);
            with_reply = RECV_WITH_REPLY;
            break;
        case EVENT_FAULT:
            reply_msginfo = microkit_msginfo_new(0, 0);
            if (fault(EVENT_ID(ev.kind_and_id), ev.value, &reply_msginfo))
                with_reply = RECV_WITH_REPLY;
            break;
        default:
            break;
        }
    }
}

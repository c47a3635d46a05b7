/* Calls its child, which crashes the first time; restarts it and calls again. */
#include <microkit.h>
#include <pride_debug.h>

#define SERVER 0

static void call_server(void)
{
    microkit_msginfo reply = microkit_ppcall(SERVER, microkit_msginfo_new(1, 0));
    microkit_dbg_puts("parent: reply label ");
    pride_dbg_put_hex(microkit_msginfo_get_label(reply));
    microkit_dbg_putc('\n');
}

void init(void)
{
    call_server();
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)msginfo;
    (void)reply_msginfo;
    microkit_dbg_puts("parent: child faulted during the call; restarting it\n");
    microkit_pd_restart(child, PRIDE_PROGRAM_ENTRY);
    call_server();
    return seL4_False;
}

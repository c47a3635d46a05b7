/* Restarts its crashing child three times, then stops it. */
#include <microkit.h>
#include <pride_debug.h>

#define CHILD 0
#define MAX_RESTARTS 3

static unsigned restarts;

void init(void)
{
    microkit_dbg_puts("parent: started\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    microkit_dbg_puts("parent: child ");
    microkit_dbg_putc((char)('0' + child));
    microkit_dbg_puts(" faulted, kind ");
    microkit_dbg_putc((char)('0' + microkit_msginfo_get_label(msginfo)));
    microkit_dbg_puts(" at address ");
    pride_dbg_put_hex(microkit_mr_get(FAULT_MR_ADDRESS));
    microkit_dbg_putc('\n');
    if (restarts < MAX_RESTARTS) {
        restarts++;
        microkit_dbg_puts("parent: restarting child\n");
        microkit_pd_restart(child, PRIDE_PROGRAM_ENTRY);
    } else {
        microkit_dbg_puts("parent: stopping child after 3 restarts\n");
        microkit_pd_stop(child);
    }
    return seL4_False;
}

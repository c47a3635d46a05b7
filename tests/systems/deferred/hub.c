/* Defers three notifications in one handler, then one it has no right to. */
#include <microkit.h>
#include <pride_debug.h>

#define LEAVES 3
#define UNOWNED_CHANNEL 40

static unsigned answers;

void init(void)
{
    for (microkit_channel ch = 1; ch <= LEAVES; ch++) {
        microkit_deferred_notify(ch);
        microkit_deferred_notify(ch); /* repeats merge */
    }
    microkit_dbg_puts("hub: init done\n");
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("hub: answer from channel ");
    pride_dbg_put_dec(ch);
    microkit_dbg_puts("\n");
    if (++answers == LEAVES) {
        microkit_dbg_puts("hub: deferring a foreign channel\n");
        microkit_deferred_notify(UNOWNED_CHANNEL);
    }
}

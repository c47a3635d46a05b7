/* Defers three notifications in one handler; then, in one receive, one to a
 * higher-priority leaf and one it has no right to: the receive must fault
 * this PD before notifying anyone. */
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
        microkit_dbg_puts("hub: deferring an owned and a foreign channel\n");
        microkit_deferred_notify(1);
        microkit_deferred_notify(UNOWNED_CHANNEL);
    }
}

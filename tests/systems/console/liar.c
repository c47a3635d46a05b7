/* Claims more debug output than its debug area holds: the kernel must
 * refuse the call (a bad system call of this PD), not read beyond it. */
#include <microkit.h>

void init(void)
{
    struct pride_debug_area *area =
        (struct pride_debug_area *)((char *)pride_ipc_buffer + PRIDE_DEBUG_AREA_OFFSET);
    area->length = PRIDE_DEBUG_AREA_BYTES + 1;
    pride_syscall(SYS_DEBUG_WRITE, 0, 0);
    microkit_dbg_puts("liar: FAIL: the kernel took the lie\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

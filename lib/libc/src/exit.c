/*
 * Process-level calls picolibc expects from its host. A PD never exits: if
 * exit(), abort() or a failed assert() reaches _exit(), we say so on the
 * debug console and stop the PD with a breakpoint exception. The kernel then
 * treats it as any other fault: its parent's fault() hears of it, or, for a
 * PD without a parent, the system monitor reports it and the PD stays
 * stopped while the rest of the system runs on.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <microkit.h>
#include <pride_debug.h>

void _exit(int status)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": _exit(");
    if (status < 0) {
        microkit_dbg_putc('-');
        pride_dbg_put_dec(-(uint64_t)(int64_t)status);
    } else {
        pride_dbg_put_dec((uint64_t)status);
    }
    microkit_dbg_puts("), stopping this PD\n");
    for (;;)
        __asm__ volatile("brk #0x1e" ::: "memory");
}

/* abort() raises SIGABRT at itself: there is one "process", and any signal
 * sent to it ends it. */
pid_t getpid(void)
{
    return 1;
}

int kill(pid_t pid, int sig)
{
    (void)pid;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": signal ");
    pride_dbg_put_dec((uint64_t)(unsigned)sig);
    microkit_dbg_puts(sig == SIGABRT ? " (abort)\n" : "\n");
    _exit(128 + sig);
}

/* Kernel console output: printf-style, polled, for diagnostics only. */
#include <pride/format.h>
#include <arch/arch.h>
#include <kernel/kernel.h>

static void put_console(char c, void *unused)
{
    (void)unused;
    arch_putc(c);
}

void kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(put_console, 0, fmt, args);
    va_end(args);
}

_Noreturn void kernel_panic(const char *why)
{
    kprintf("pride: kernel panic: %s\n", why);
    for (;;)
        arch_wait_for_interrupt();
}

/*
 * Kernel console output, polled, for diagnostics only; and the debug output
 * of PDs (SYS_PUTC). Both exist only in configurations with a debug console
 * (debug and benchmark); a release kernel prints nothing at all.
 *
 * The kernel's own lines begin "pride:", and tests and people trust them,
 * so no PD may produce one. A PD's output is therefore printed a whole line
 * at a time (lines of PDs and the kernel never mix), every byte that is not
 * printable ASCII is shown as \xNN (no escape sequences, no carriage
 * returns, no line breaks inside a line), and a PD line that would begin
 * with the kernel's prefix is shown as "<pd name>| pride:...".
 */
#include <pride/format.h>
#include <arch/arch.h>
#include <kernel/kernel.h>

#define KERNEL_LINE_PREFIX "pride:"

#ifdef PRIDE_DEBUG_CONSOLE
static void put_console(char c, void *unused)
{
    (void)unused;
    arch_putc(c);
}

static void put_string(const char *s)
{
    while (*s)
        arch_putc(*s++);
}

static bool has_kernel_prefix(const struct debug_line *line)
{
    const char *prefix = KERNEL_LINE_PREFIX;
    for (unsigned i = 0; prefix[i]; i++)
        if (i >= line->length || line->bytes[i] != prefix[i])
            return false;
    return true;
}

static void put_escaped(char c)
{
    static const char hex[] = "0123456789abcdef";
    unsigned char u = (unsigned char)c;
    if (u >= 0x20 && u < 0x7f) {
        arch_putc(c);
        return;
    }
    put_string("\\x");
    arch_putc(hex[u >> 4]);
    arch_putc(hex[u & 0xf]);
}

void kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(put_console, 0, fmt, args);
    va_end(args);
}

/* Print pd's pending output as one line, even if it did not end one. */
void debug_flush(struct pd *pd)
{
    struct debug_line *line = &pd->debug_line;
    if (!line->length)
        return;
    if (has_kernel_prefix(line)) {
        put_string(pd->spec->name);
        put_string("| ");
    }
    for (unsigned i = 0; i < line->length; i++)
        put_escaped(line->bytes[i]);
    arch_putc('\n');
    line->length = 0;
}

/* Out of line: inlined into kernel_syscall it cost every fast system call
 * an instruction of register shuffling (make bench). */
__attribute__((noinline)) void debug_putc(struct pd *pd, char c)
{
    struct debug_line *line = &pd->debug_line;
    if (c == '\n') {
        if (!line->length)
            arch_putc('\n');
        debug_flush(pd);
        return;
    }
    line->bytes[line->length++] = c;
    if (line->length == DEBUG_LINE_MAX)
        debug_flush(pd);
}
#else
void kprintf(const char *fmt, ...)
{
    (void)fmt;
}

void debug_flush(struct pd *pd)
{
    (void)pd;
}

__attribute__((noinline)) void debug_putc(struct pd *pd, char c)
{
    (void)pd;
    (void)c;
}
#endif

_Noreturn void kernel_panic(const char *why)
{
    kprintf("pride: kernel panic: %s\n", why);
    for (;;)
        arch_wait_for_interrupt();
}

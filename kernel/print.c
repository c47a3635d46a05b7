/*
 * Kernel console output, polled, for diagnostics only; and the debug output
 * of PDs (SYS_DEBUG_WRITE). Both exist only in configurations with a debug
 * console (debug and benchmark); a release kernel prints nothing at all.
 *
 * The kernel's own lines begin "pride:", and tests and people trust them,
 * so no PD may produce one. A PD hands over its output a line at a time
 * in its debug area (pride/syscall.h), and the kernel prints each line
 * whole (lines of PDs and the kernel never mix); every byte that is not
 * printable ASCII is shown as \xNN (no escape sequences, no carriage
 * returns, no line breaks inside a line); and a PD line that would begin
 * with the kernel's prefix is shown as "<pd name>| pride:...".
 */
#include <pride/format.h>
#include <arch/arch.h>
#include <kernel/kernel.h>

#define KERNEL_LINE_PREFIX "pride:"

static struct pride_debug_area *debug_area(const struct pd *pd)
{
    return (struct pride_debug_area *)((char *)pd->ipc_buffer + PRIDE_DEBUG_AREA_OFFSET);
}

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

static bool has_kernel_prefix(const char *line, uint32_t length)
{
    const char *prefix = KERNEL_LINE_PREFIX;
    for (uint32_t i = 0; prefix[i]; i++)
        if (i >= length || line[i] != prefix[i])
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

/* One line of pd's output (without its newline), attributed if need be. */
static void put_pd_line(const struct pd *pd, const char *line, uint32_t length)
{
    if (has_kernel_prefix(line, length)) {
        put_string(pd->spec->name);
        put_string("| ");
    }
    for (uint32_t i = 0; i < length; i++)
        put_escaped(line[i]);
    arch_putc('\n');
}

/* Every line of the area; a last one without its newline is ended here. */
static void put_pd_lines(const struct pd *pd, const char *bytes, uint32_t length)
{
    uint32_t start = 0;
    for (uint32_t i = 0; i < length; i++) {
        if (bytes[i] == '\n') {
            put_pd_line(pd, bytes + start, i - start);
            start = i + 1;
        }
    }
    if (start < length)
        put_pd_line(pd, bytes + start, length - start);
}
#else
void kprintf(const char *fmt, ...)
{
    (void)fmt;
}

static void put_pd_lines(const struct pd *pd, const char *bytes, uint32_t length)
{
    (void)pd;
    (void)bytes;
    (void)length;
}
#endif

/* SYS_DEBUG_WRITE: false (a bad call) if the area claims more than it holds. */
bool debug_write(struct pd *pd)
{
    struct pride_debug_area *area = debug_area(pd);
    uint32_t length = area->length; /* read once: the PD's memory */
    if (length > PRIDE_DEBUG_AREA_BYTES)
        return false;
    put_pd_lines(pd, area->bytes, length);
    area->length = 0;
    return true;
}

/* Print what pd left pending (it faulted, or is restarted or stopped). */
void debug_flush(struct pd *pd)
{
    if (!debug_write(pd))
        debug_area(pd)->length = 0;
}

_Noreturn void kernel_panic(const char *why)
{
    kprintf("pride: kernel panic: %s\n", why);
    for (;;)
        arch_wait_for_interrupt();
}

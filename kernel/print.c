/* Minimal kernel printf: %s %c %d %u %x %p, with an optional 'l'. */
#include <stdarg.h>
#include <arch/arch.h>
#include <kernel/kernel.h>

static void put_string(const char *s)
{
    while (*s)
        arch_putc(*s++);
}

static void put_unsigned(uint64_t value, unsigned base)
{
    char digits[20];
    unsigned n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    while (n)
        arch_putc(digits[--n]);
}

void kprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            arch_putc(*fmt);
            continue;
        }
        bool is_long = fmt[1] == 'l';
        if (is_long)
            fmt++;
        switch (*++fmt) {
        case 's': put_string(va_arg(args, const char *)); break;
        case 'c': arch_putc((char)va_arg(args, int)); break;
        case 'p': put_string("0x"); put_unsigned((uint64_t)va_arg(args, void *), 16); break;
        case 'x':
        case 'u':
        case 'd': {
            uint64_t v;
            if (*fmt == 'd') {
                int64_t s = is_long ? va_arg(args, int64_t) : va_arg(args, int);
                if (s < 0) {
                    arch_putc('-');
                    s = -s;
                }
                v = (uint64_t)s;
            } else {
                v = is_long ? va_arg(args, uint64_t) : va_arg(args, unsigned);
            }
            put_unsigned(v, *fmt == 'x' ? 16 : 10);
            break;
        }
        case '%': arch_putc('%'); break;
        default: arch_putc('?'); break;
        }
    }
    va_end(args);
}

_Noreturn void kernel_panic(const char *why)
{
    kprintf("pride: kernel panic: %s\n", why);
    for (;;)
        arch_wait_for_interrupt();
}

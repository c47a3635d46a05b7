/*
 * printf-style formatting through a character callback, shared by the kernel
 * (kprintf) and the serial client library (serial_printf). Header-only so
 * each is built with its own flags. Supports %s %c %d %i %u %x %p %%, the
 * length modifiers l and ll, and a field width with optional 0 padding.
 */
#ifndef PRIDE_FORMAT_H
#define PRIDE_FORMAT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

typedef void (*format_put_fn)(char c, void *arg);

static inline void format_number(format_put_fn put, void *arg, uint64_t value, unsigned base,
                                 bool negative, unsigned width, char pad)
{
    char digits[21];
    unsigned n = 0;
    do {
        digits[n++] = "0123456789abcdef"[value % base];
        value /= base;
    } while (value);
    if (negative)
        digits[n++] = '-';
    while (width > n) {
        put(pad, arg);
        width--;
    }
    while (n)
        put(digits[--n], arg);
}

static inline void format_v(format_put_fn put, void *arg, const char *fmt, va_list args)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(*fmt, arg);
            continue;
        }
        char pad = *++fmt == '0' ? '0' : ' ';
        unsigned width = 0, longs = 0;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (unsigned)(*fmt++ - '0');
        while (*fmt == 'l') {
            longs++;
            fmt++;
        }
        switch (*fmt) {
        case 's':
            for (const char *s = va_arg(args, const char *); *s; s++)
                put(*s, arg);
            break;
        case 'c': put((char)va_arg(args, int), arg); break;
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(args, int64_t) : va_arg(args, int);
            format_number(put, arg, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = longs ? va_arg(args, uint64_t) : va_arg(args, unsigned);
            format_number(put, arg, v, *fmt == 'x' ? 16 : 10, false, width, pad);
            break;
        }
        case 'p':
            put('0', arg);
            put('x', arg);
            format_number(put, arg, (uint64_t)(uintptr_t)va_arg(args, void *), 16, false, 0, ' ');
            break;
        case '%': put('%', arg); break;
        case '\0': return;
        default: put('?', arg); break;
        }
    }
}

#endif

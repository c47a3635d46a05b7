/*
 * A bounded text writer for lib/http's bodies and heads: what does not fit
 * refuses the whole text (finish answers 0), never a cut one. Internal to
 * lib/http (the heads and pages of response.c, the status pages).
 *
 * Each put loads the position once and stores it once: stores through
 * the text's char pointer may alias the struct, so a byte-wise w->p[w->n++]
 * would reload and store n for every byte.
 */
#ifndef HTTP_WRITER_H
#define HTTP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct writer {
    char *p;
    size_t n, cap;
    bool over; /* something did not fit: the whole is refused */
};

/* Where len more bytes go, their room taken; NULL (and over) if none. */
static inline char *take(struct writer *w, size_t len)
{
    size_t n = w->n;
    if (w->over || len > w->cap - n) {
        w->over = true;
        return NULL;
    }
    w->n = n + len;
    return w->p + n;
}

static inline void put(struct writer *w, const char *s, size_t len)
{
    char *d = take(w, len);
    for (size_t i = 0; d && i < len; i++)
        d[i] = s[i];
}

/* A string literal: its length is known, so the compiler copies it in a
 * few word moves (the builtin needs no libc for a constant length). */
#define put_lit(w, lit) put_known((w), (lit), sizeof(lit) - 1)
__attribute__((always_inline)) static inline void put_known(struct writer *w, const char *s,
                                                           size_t len)
{
    char *d = take(w, len);
    if (d)
        __builtin_memcpy(d, s, len);
}

/* A NUL-ended string, measured and copied in one pass (bytes before the
 * cap may be written even if it does not fit: finish refuses them). */
static inline void put_str(struct writer *w, const char *s)
{
    char *p = w->p;
    size_t n = w->n, cap = w->cap;
    if (w->over)
        return;
    for (; *s; s++, n++) {
        if (n == cap) {
            w->over = true;
            return;
        }
        p[n] = *s;
    }
    w->n = n;
}

/* v in base 10 or 16 (lower case), formed backwards in a local buffer. */
static inline void put_number(struct writer *w, uint64_t v, unsigned base)
{
    char digits[20]; /* 2^64 - 1 has 20 decimal digits */
    size_t at = sizeof(digits);
    do {
        digits[--at] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    put(w, digits + at, sizeof(digits) - at);
}

/* The length written, with a NUL after it if there is room; 0 if over. */
static inline size_t finish(struct writer *w)
{
    if (w->over)
        return 0;
    if (w->n < w->cap)
        w->p[w->n] = 0;
    return w->n;
}

#endif

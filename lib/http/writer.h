/*
 * A bounded text writer for lib/http's bodies and heads: what does not fit
 * refuses the whole text (finish answers 0), never a cut one. Internal to
 * lib/http (the heads and pages of response.c, the status pages).
 */
#ifndef HTTP_WRITER_H
#define HTTP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pride/format.h>

struct writer {
    char *p;
    size_t n, cap;
    bool over; /* something did not fit: the whole is refused */
};

static inline void put(struct writer *w, const char *s, size_t len)
{
    if (w->over || len > w->cap - w->n) {
        w->over = true;
        return;
    }
    for (size_t i = 0; i < len; i++)
        w->p[w->n++] = s[i];
}

static inline void put_str(struct writer *w, const char *s)
{
    size_t len = 0;
    while (s[len])
        len++;
    put(w, s, len);
}

static inline void put_char(char c, void *w)
{
    put(w, &c, 1);
}

static inline void put_number(struct writer *w, uint64_t v, unsigned base)
{
    format_number(put_char, w, v, base, false, 0, ' ');
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

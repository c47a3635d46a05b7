/*
 * Sorted views for the checks that compare every item with every other:
 * duplicate names, name lookups and overlapping address ranges. Each sorts
 * once (O(n log n)) and then looks only at neighbours or bisects, so a
 * .system file with 100,000 elements costs no more than a few passes over it.
 */
#include <stdlib.h>
#include <string.h>

#include "tool.h"

bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

/* ---- names ---- */

static int cmp_name_ref(const void *a, const void *b)
{
    const struct name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

void names_sort(struct name_ref *refs, size_t n)
{
    if (n)
        qsort(refs, n, sizeof(*refs), cmp_name_ref);
}

const struct name_ref *names_find(const struct name_ref *refs, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first entry not below 'name': ties sort by index */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(refs[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && !strcmp(refs[lo].name, name) ? &refs[lo] : NULL;
}

const struct name_ref *names_repeat(const struct name_ref *refs, size_t n,
                                    const struct name_ref **first)
{
    const struct name_ref *repeat = NULL;
    for (size_t i = 1; i < n; i++) {
        /* refs[i] repeats its run's first entry; the second of a run is that
         * name's earliest repeat */
        bool second = !strcmp(refs[i].name, refs[i - 1].name) &&
                      (i == 1 || strcmp(refs[i - 1].name, refs[i - 2].name));
        if (second && (!repeat || refs[i].index < repeat->index)) {
            repeat = &refs[i];
            *first = &refs[i - 1];
        }
    }
    return repeat;
}

/* ---- address ranges ---- */

static int cmp_span(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    if (x->base != y->base)
        return x->base < y->base ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

void spans_sort(struct span *spans, size_t n)
{
    if (n)
        qsort(spans, n, sizeof(*spans), cmp_span);
}

/*
 * If any two spans overlap, two neighbours in base order do: the span right
 * after the lower one starts no later than the other, so before the lower one
 * ends. Of the overlapping neighbours, the pair whose later line comes first
 * is reported, so the message does not depend on the sort.
 */
bool spans_overlap(const struct span *sorted, size_t n, const struct span **earlier,
                   const struct span **later)
{
    *later = NULL;
    for (size_t i = 1; i < n; i++) {
        const struct span *a = &sorted[i - 1], *b = &sorted[i];
        if (!ranges_overlap(a->base, a->size, b->base, b->size))
            continue;
        const struct span *lo = a->line <= b->line ? a : b, *hi = lo == a ? b : a;
        if (!*later || hi->line < (*later)->line) {
            *earlier = lo;
            *later = hi;
        }
    }
    return *later != NULL;
}

/*
 * Physical layout, page tables and the boot spec.
 *
 * Memory is handed out by a bump allocator that starts above the kernel and
 * steps around fixed regions lying inside RAM. Allocation order is chosen so
 * that the output needs few segments: all PD program pages (data), then all
 * stacks and memory regions (zero-fill), then the boot spec followed by every
 * page table (data). Page tables are built on the host first and given
 * physical addresses at the end, once their number is known.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"
#include "pride/config.h"

#define PTES 512
#define NO_PAGE SIZE_MAX

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "struct bootspec is written in host byte order");
_Static_assert(sizeof(struct bootspec_channel) == 8, "bootspec layout");

/* One translation table: descriptors plus the host pointers to sub-tables. */
struct table {
    uint64_t entry[PTES]; /* leaf descriptors; table descriptors come last */
    struct table *sub[PTES];
    unsigned index; /* position in the page-table area */
    struct table *next;
};

struct page {
    uint64_t va;
    unsigned perms;
};

/* Build state of one PD. */
struct pd_image {
    struct elf_file elf;
    struct page *pages; /* every program page, sorted by va */
    size_t npages;
    uint8_t *data;      /* npages * 4 KiB, same order */
    uint64_t pages_pa;  /* pages are physically contiguous from here */
    uint64_t stack_pa;
    size_t ipc_page;    /* index of the pride_ipc_buffer page */
    uint64_t ipc_pa;
    struct table *root;
};

struct layout {
    struct system *sys;
    const struct build_opts *opts;
    struct elf_file kernel;
    uint8_t *spec_slot; /* kernel's pride_bootspec_paddr, in kernel.buf */
    uint64_t next;      /* bump allocator */
    size_t hole;        /* first of sys->ram_holes that may lie above 'next' */
    struct pd_image pds[PRIDE_MAX_PDS];
    struct table *tables, **tables_tail;
    unsigned ntables;
};

static uint64_t align_up(uint64_t v, uint64_t align)
{
    return (v + align - 1) & ~(align - 1);
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- physical allocation ---- */

/* 'what' and 'name' describe the allocation in messages, e.g. "stack of" "a".
 * Allocations only move up and the holes are sorted and disjoint, so one
 * cursor over the holes serves every allocation. */
static uint64_t alloc(struct layout *L, uint64_t size, uint64_t align, int line,
                      const char *what, const char *name)
{
    const struct span *holes = L->sys->ram_holes;
    uint64_t pa = L->next;
    for (;;) {
        pa = align_up(pa, align);
        if (pa >= RAM_END || size > RAM_END - pa)
            fail_at(line, "out of physical memory for %s '%s' (%#llx bytes)", what, name,
                    (unsigned long long)size);
        while (L->hole < L->sys->nram_holes && holes[L->hole].base + holes[L->hole].size <= pa)
            L->hole++;
        if (L->hole == L->sys->nram_holes || holes[L->hole].base >= pa + size)
            break;
        pa = holes[L->hole].base + holes[L->hole].size;
    }
    L->next = pa + size;
    if (L->opts->verbose)
        print_line("  %#llx-%#llx  %s '%s'", (unsigned long long)pa,
                   (unsigned long long)(pa + size), what, name);
    return pa;
}

/* ---- kernel ---- */

static void load_kernel(struct layout *L)
{
    const char *path = L->opts->kernel_path;
    const char *err = elf_load(&L->kernel, path);
    if (err)
        fail_path(path, "kernel %s", err);
    uint64_t lo = RAM_END, hi = 0;
    for (size_t i = 0; i < L->kernel.nsegs; i++) {
        const struct elf_seg *s = &L->kernel.segs[i];
        if (s->paddr < PLAT_RAM_BASE || s->paddr >= RAM_END || s->memsz > RAM_END - s->paddr)
            fail_path(path, "kernel segment at PA %#llx lies outside RAM",
                      (unsigned long long)s->paddr);
        if (s->paddr < lo)
            lo = s->paddr;
        if (s->paddr + s->memsz > hi)
            hi = s->paddr + s->memsz;
    }
    L->next = align_up(hi, PAGE_SIZE_SMALL);
    for (size_t i = 0; i < L->sys->nmrs; i++) {
        const struct mr *mr = &L->sys->mrs[i];
        if (mr->fixed && ranges_overlap(mr->paddr, mr->size, lo, hi - lo))
            fail_at(mr->line, "region '%s' overlaps the kernel image", mr->name);
    }
}

/* QEMU starts the kernel with the MMU off, so the entry must be physical. */
static uint64_t kernel_entry_pa(const struct layout *L)
{
    uint64_t e = L->kernel.entry;
    for (size_t i = 0; i < L->kernel.nsegs; i++) {
        const struct elf_seg *s = &L->kernel.segs[i];
        if (e >= s->vaddr && e - s->vaddr < s->memsz)
            return e - s->vaddr + s->paddr;
    }
    fail_path(L->opts->kernel_path, "kernel entry point is not in a loadable segment");
}

/* Finds where the boot spec address goes: a uint64 in the kernel's file data. */
static uint8_t *kernel_spec_slot(struct layout *L)
{
    const char *path = L->opts->kernel_path;
    struct elf_sym sym;
    if (!elf_symbol(&L->kernel, "pride_bootspec_paddr", &sym))
        fail_path(path, "kernel lacks the symbol pride_bootspec_paddr");
    for (size_t i = 0; i < L->kernel.nsegs; i++) {
        const struct elf_seg *s = &L->kernel.segs[i];
        if (sym.value >= s->vaddr && s->filesz >= 8 && sym.value - s->vaddr <= s->filesz - 8)
            return L->kernel.buf + s->offset + (sym.value - s->vaddr);
    }
    fail_path(path, "pride_bootspec_paddr is not in the kernel's initialised data");
}

/* ---- PD programs ---- */

static const char *find_image(const struct layout *L, const char *image)
{
    const char *const *dirs = L->opts->dirs;
    for (size_t i = 0; image[0] != '/' && i <= L->opts->ndirs; i++) {
        const char *dir = i < L->opts->ndirs ? dirs[i] : L->sys->dir;
        const char *path = xconcat(dir, strlen(dir), xconcat("/", 1, image));
        FILE *f = fopen(path, "rb");
        if (f) {
            fclose(f);
            return path;
        }
    }
    FILE *f = image[0] == '/' ? fopen(image, "rb") : NULL;
    if (f)
        fclose(f);
    return f ? image : NULL;
}

static int cmp_page(const void *a, const void *b)
{
    uint64_t x = ((const struct page *)a)->va, y = ((const struct page *)b)->va;
    return x < y ? -1 : x > y;
}

/* Index of the first page with va >= 'va' (binary search). */
static size_t lower_page(const struct pd_image *pi, uint64_t va)
{
    size_t lo = 0, hi = pi->npages;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pi->pages[mid].va < va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t find_page(const struct pd_image *pi, uint64_t va)
{
    size_t i = lower_page(pi, va & ~(PAGE_SIZE_SMALL - 1));
    return i < pi->npages && pi->pages[i].va == (va & ~(PAGE_SIZE_SMALL - 1)) ? i : NO_PAGE;
}

static unsigned seg_perms(uint32_t flags)
{
    /* EL0 cannot have unreadable pages, so every page is readable */
    return PERM_R | (flags & PF_W ? PERM_W : 0) | (flags & PF_X ? PERM_X : 0);
}

/* Every 4 KiB page touched by a segment; pages shared by segments merge. */
static void collect_pages(const struct pd *pd, struct pd_image *pi)
{
    uint64_t total = 0;
    for (size_t i = 0; i < pi->elf.nsegs; i++) {
        const struct elf_seg *s = &pi->elf.segs[i];
        if (s->vaddr >= USER_VA_LIMIT || s->memsz > USER_VA_LIMIT - s->vaddr)
            fail_at(pd->image_line, "program segment at %#llx is outside the user address range",
                    (unsigned long long)s->vaddr);
        const char *clash = stack_clash(pd, s->vaddr + s->memsz);
        if (clash)
            fail_at(pd->image_line, "program segment at %#llx %s",
                    (unsigned long long)s->vaddr, clash);
        total += (align_up(s->vaddr + s->memsz, PAGE_SIZE_SMALL) - (s->vaddr & ~0xfffULL)) /
                 PAGE_SIZE_SMALL;
    }
    if (total > PLAT_RAM_SIZE / PAGE_SIZE_SMALL)
        fail_at(pd->image_line, "out of physical memory for program image '%s'", pd->image);
    pi->pages = xcalloc(total, sizeof(struct page));
    for (size_t i = 0; i < pi->elf.nsegs; i++) {
        const struct elf_seg *s = &pi->elf.segs[i];
        for (uint64_t va = s->vaddr & ~0xfffULL; va < s->vaddr + s->memsz; va += PAGE_SIZE_SMALL)
            pi->pages[pi->npages++] = (struct page){ va, seg_perms(s->flags) };
    }
    qsort(pi->pages, pi->npages, sizeof(struct page), cmp_page);
    size_t n = 0;
    for (size_t i = 0; i < pi->npages; i++) {
        if (n && pi->pages[n - 1].va == pi->pages[i].va)
            pi->pages[n - 1].perms |= pi->pages[i].perms;
        else
            pi->pages[n++] = pi->pages[i];
    }
    pi->npages = n;
}

static void copy_segments(struct pd_image *pi)
{
    pi->data = xcalloc(pi->npages, PAGE_SIZE_SMALL);
    for (size_t i = 0; i < pi->elf.nsegs; i++) {
        const struct elf_seg *s = &pi->elf.segs[i];
        uint64_t off = 0;
        while (off < s->filesz) {
            uint64_t va = s->vaddr + off, in_page = va & 0xfff;
            uint64_t n = PAGE_SIZE_SMALL - in_page;
            if (n > s->filesz - off)
                n = s->filesz - off;
            memcpy(pi->data + find_page(pi, va) * PAGE_SIZE_SMALL + in_page,
                   pi->elf.buf + s->offset + off, n);
            off += n;
        }
    }
}

static void load_program(struct layout *L, const struct pd *pd)
{
    struct pd_image *pi = &L->pds[pd->index];
    const char *path = find_image(L, pd->image);
    if (!path)
        fail_at(pd->image_line, "program image '%s' not found", pd->image);
    const char *err = elf_load(&pi->elf, path);
    if (err)
        fail_at(pd->image_line, "program image '%s' %s", path, err);
    collect_pages(pd, pi);
    copy_segments(pi);
    size_t entry = find_page(pi, pi->elf.entry);
    if (entry == NO_PAGE || !(pi->pages[entry].perms & PERM_X))
        fail_at(pd->image_line, "entry point %#llx of '%s' is not in an executable segment",
                (unsigned long long)pi->elf.entry, path);
    struct elf_sym ipc;
    if (!elf_symbol(&pi->elf, "pride_ipc_buffer", &ipc))
        fail_at(pd->image_line, "program image '%s' lacks the pride_ipc_buffer symbol", path);
    pi->ipc_page = find_page(pi, ipc.value);
    if (ipc.value % PAGE_SIZE_SMALL || pi->ipc_page == NO_PAGE ||
        !(pi->pages[pi->ipc_page].perms & PERM_W))
        fail_at(pd->image_line,
                "pride_ipc_buffer in '%s' must be a page-aligned page of writable data", path);
}

/* ---- patching symbols in program pages ---- */

static void patch_bytes(struct pd_image *pi, const char *sym, uint64_t va,
                        const uint8_t *bytes, size_t n, int line)
{
    for (size_t i = 0; i < n; i++) {
        size_t page = find_page(pi, va + i);
        if (page == NO_PAGE)
            fail_at(line, "symbol '%s' is not inside a loadable segment", sym);
        pi->data[page * PAGE_SIZE_SMALL + ((va + i) & 0xfff)] = bytes[i];
    }
}

/* Writes a little-endian value of 'width' bytes; a missing optional symbol is skipped. */
static void patch_value(struct pd_image *pi, const char *sym, uint64_t value,
                        size_t width, int line, bool required)
{
    struct elf_sym s;
    if (!elf_symbol(&pi->elf, sym, &s)) {
        if (required)
            fail_at(line, "symbol '%s' not found in program image '%s'", sym, pi->elf.path);
        return;
    }
    if (s.size && s.size < width)
        fail_at(line, "symbol '%s' is %llu bytes, too small for a %zu-byte value", sym,
                (unsigned long long)s.size, width);
    uint8_t bytes[8];
    put_u64(bytes, value);
    patch_bytes(pi, sym, s.value, bytes, width, line);
}

static void read_bytes(const struct pd_image *pi, const char *sym, uint64_t va, uint8_t *bytes,
                       size_t n, int line)
{
    for (size_t i = 0; i < n; i++) {
        size_t page = find_page(pi, va + i);
        if (page == NO_PAGE)
            fail_at(line, "symbol '%s' is not inside a loadable segment", sym);
        bytes[i] = pi->data[page * PAGE_SIZE_SMALL + ((va + i) & 0xfff)];
    }
}

/* The program's own header (magic, version) must be the one the system's
 * struct was made for: anything else was built against another layout. */
static void patch_config(struct pd_image *pi, const struct config_patch *cp)
{
    struct elf_sym s;
    uint8_t header[sizeof(struct pride_config_header)];
    if (!elf_symbol(&pi->elf, cp->symbol, &s))
        fail_at(cp->line, "program image '%s' has no config '%s': not a program for this role",
                pi->elf.path, cp->symbol);
    if (s.size != cp->size || cp->size < sizeof(header))
        fail_at(cp->line, "config '%s' in '%s' is %llu bytes, the system's is %zu: the program "
                "was built against another version of its config header", cp->symbol,
                pi->elf.path, (unsigned long long)s.size, cp->size);
    read_bytes(pi, cp->symbol, s.value, header, sizeof(header), cp->line);
    if (memcmp(header, cp->bytes, sizeof(header)))
        fail_at(cp->line, "config '%s' in '%s' has another magic or version than the system's: "
                "the program was built against another version of its config header",
                cp->symbol, pi->elf.path);
    patch_bytes(pi, cp->symbol, s.value, cp->bytes, cp->size, cp->line);
}

static void patch_program(struct pd_image *pi, const struct pd *pd)
{
    struct elf_sym name;
    if (elf_symbol(&pi->elf, "microkit_name", &name) && name.size) {
        size_t n = strlen(pd->name);
        if (n > name.size - 1)
            n = name.size - 1;
        uint8_t buf[PRIDE_NAME_LEN] = { 0 };
        memcpy(buf, pd->name, n);
        patch_bytes(pi, "microkit_name", name.value, buf, n + 1, pd->line);
    }
    uint64_t irqs = 0, notifications = 0, pps = 0;
    for (unsigned id = 0; id < PRIDE_MAX_CHANNELS; id++) {
        if (pd->ids[id].irq)
            irqs |= 1ULL << id;
        if (pd->ids[id].end)
            notifications |= 1ULL << id;
        if (pd->ids[id].end && pd->ids[id].end->pp)
            pps |= 1ULL << id;
    }
    patch_value(pi, "microkit_irqs", irqs, 8, pd->line, false);
    patch_value(pi, "microkit_notifications", notifications, 8, pd->line, false);
    patch_value(pi, "microkit_pps", pps, 8, pd->line, false);
    patch_value(pi, "microkit_passive", pd->passive, 1, pd->line, false);
    for (size_t i = 0; i < pd->nmaps; i++)
        if (pd->maps[i].setvar_vaddr)
            patch_value(pi, pd->maps[i].setvar_vaddr, pd->maps[i].vaddr, 8,
                        pd->maps[i].line, true);
    for (size_t i = 0; i < pd->nsetvars; i++)
        patch_value(pi, pd->setvars[i].symbol, pd->setvars[i].mr->paddr, 8,
                    pd->setvars[i].line, true);
    for (size_t i = 0; i < pd->nconfigs; i++)
        patch_config(pi, &pd->configs[i]);
}

/* ---- page tables ---- */

static struct table *new_table(struct layout *L, int line)
{
    /* bound host memory: more tables than free RAM can never be placed */
    if ((uint64_t)(L->ntables + 1) * PAGE_SIZE_SMALL > RAM_END - L->next)
        fail_at(line, "out of physical memory for page tables");
    struct table *t = xcalloc(1, sizeof(*t));
    t->index = L->ntables++;
    *L->tables_tail = t;
    L->tables_tail = &t->next;
    return t;
}

static struct table *descend(struct layout *L, struct table *t, unsigned i, uint64_t va,
                             int line)
{
    if (t->entry[i])
        fail_at(line, "mapping at %#llx overlaps another mapping", (unsigned long long)va);
    if (!t->sub[i])
        t->sub[i] = new_table(L, line);
    return t->sub[i];
}

static uint64_t leaf_bits(unsigned perms, bool cached)
{
    uint64_t d = PTE_VALID | PTE_AF | PTE_NG | PTE_PXN;
    d |= cached ? PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER : PTE_ATTR(MAIR_IDX_DEVICE);
    d |= perms & PERM_W ? PTE_AP_RW_EL0 : PTE_AP_RO_EL0;
    if (!(perms & PERM_X))
        d |= PTE_UXN;
    return d;
}

/* Level 1 covers 1 GiB per entry, level 2 2 MiB (blocks), level 3 4 KiB. */
static void map_page(struct layout *L, struct table *root, uint64_t va, uint64_t pa,
                     uint64_t size, uint64_t bits, int line)
{
    struct table *l2 = descend(L, root, (va >> 30) & 511, va, line);
    unsigned i2 = (va >> 21) & 511;
    if (size == PAGE_SIZE_LARGE) {
        if (l2->entry[i2] || l2->sub[i2])
            fail_at(line, "mapping at %#llx overlaps another mapping", (unsigned long long)va);
        l2->entry[i2] = pa | bits;
        return;
    }
    struct table *l3 = descend(L, l2, i2, va, line);
    unsigned i3 = (va >> 12) & 511;
    if (l3->entry[i3])
        fail_at(line, "mapping at %#llx overlaps another mapping", (unsigned long long)va);
    l3->entry[i3] = pa | bits | PTE_PAGE;
}

static void map_pd(struct layout *L, const struct pd *pd, struct pd_image *pi)
{
    pi->root = new_table(L, pd->line);
    for (size_t i = 0; i < pi->npages; i++)
        map_page(L, pi->root, pi->pages[i].va, pi->pages_pa + i * PAGE_SIZE_SMALL,
                 PAGE_SIZE_SMALL, leaf_bits(pi->pages[i].perms, true), pd->image_line);
    for (uint64_t off = 0; off < pd->stack_size; off += PAGE_SIZE_SMALL)
        map_page(L, pi->root, stack_bottom(pd) + off, pi->stack_pa + off,
                 PAGE_SIZE_SMALL, leaf_bits(PERM_R | PERM_W, true), pd->line);
    for (size_t i = 0; i < pd->nmaps; i++) {
        const struct map *m = &pd->maps[i];
        size_t first = lower_page(pi, m->vaddr);
        if (first < pi->npages && pi->pages[first].va < m->vaddr + m->mr->size)
            fail_at(m->line, "map of '%s' at %#llx overlaps the program image at %#llx",
                    m->mr->name, (unsigned long long)m->vaddr,
                    (unsigned long long)pi->pages[first].va);
        for (uint64_t off = 0; off < m->mr->size; off += m->mr->page_size)
            map_page(L, pi->root, m->vaddr + off, m->mr->paddr + off, m->mr->page_size,
                     leaf_bits(m->perms, m->cached), m->line);
    }
}

/* ---- boot spec ---- */

static void fill_channels(struct bootspec_pd *bp, const struct pd *pd)
{
    for (unsigned id = 0; id < PRIDE_MAX_CHANNELS; id++) {
        struct bootspec_channel *c = &bp->channels[id];
        const struct id_use *use = &pd->ids[id];
        if (use->irq) {
            c->kind = CH_IRQ;
            c->irq = (uint16_t)use->irq->intid;
            c->trigger = use->irq->edge;
        } else if (use->end) {
            c->kind = CH_PD;
            c->flags = (use->end->notify ? CH_MAY_NOTIFY : 0) | (use->end->pp ? CH_MAY_PPC : 0);
            c->peer_pd = (uint8_t)use->peer->pd->index;
            c->peer_id = (uint8_t)use->peer->id;
        }
    }
}

static void fill_bootspec(const struct layout *L, struct bootspec *bs, uint64_t tables_pa)
{
    const struct system *sys = L->sys;
    bs->magic = BOOTSPEC_MAGIC;
    bs->version = BOOTSPEC_VERSION;
    bs->size = sizeof(*bs);
    bs->num_pds = (uint32_t)sys->npds;
    for (size_t i = 0; i < sys->npds; i++)
        memset(bs->pds[i].child_pd, PRIDE_NO_PD, sizeof(bs->pds[i].child_pd));
    for (size_t i = 0; i < sys->npds; i++) {
        const struct pd *pd = sys->pds[i];
        const struct pd_image *pi = &L->pds[i];
        struct bootspec_pd *bp = &bs->pds[i];
        memcpy(bp->name, pd->name, strlen(pd->name)); /* NUL from zeroing */
        bp->entry = pi->elf.entry;
        bp->stack_top = USER_STACK_TOP;
        bp->pgd_paddr = tables_pa + (uint64_t)pi->root->index * PAGE_SIZE_SMALL;
        bp->ipc_buffer_paddr = pi->ipc_pa;
        bp->budget_us = pd->budget;
        bp->period_us = pd->period;
        bp->priority = (uint8_t)pd->priority;
        bp->passive = pd->passive;
        bp->cpu = (uint8_t)(L->opts->one_core ? 0 : pd->cpu);
        bp->parent = pd->parent ? (uint8_t)pd->parent->index : PRIDE_NO_PD;
        bp->id_in_parent = pd->parent ? (uint8_t)pd->id_in_parent : PRIDE_NO_PD;
        if (pd->parent)
            bs->pds[pd->parent->index].child_pd[pd->id_in_parent] = (uint8_t)i;
        fill_channels(bp, pd);
    }
    bs->checksum = bootspec_checksum(bs);
}

/* Boot spec at 'pa', then every table in index order. */
static uint8_t *emit_spec_and_tables(struct layout *L, uint64_t pa, uint64_t spec_bytes,
                                     uint64_t total)
{
    uint8_t *buf = xcalloc(total, 1);
    uint64_t tables_pa = pa + spec_bytes;
    for (struct table *t = L->tables; t; t = t->next) {
        uint8_t *dst = buf + spec_bytes + (uint64_t)t->index * PAGE_SIZE_SMALL;
        for (unsigned i = 0; i < PTES; i++) {
            uint64_t d = t->entry[i];
            if (t->sub[i])
                d = PTE_VALID | PTE_TABLE |
                    (tables_pa + (uint64_t)t->sub[i]->index * PAGE_SIZE_SMALL);
            put_u64(dst + i * 8, d);
        }
    }
    struct bootspec *bs = xcalloc(1, sizeof(*bs));
    fill_bootspec(L, bs, tables_pa);
    memcpy(buf, bs, sizeof(*bs));
    return buf;
}

/* ---- putting it together ---- */

static void add_seg(struct image *img, uint64_t pa, const uint8_t *data, uint64_t size)
{
    uint64_t filesz = size;
    while (data && filesz && !data[filesz - 1]) /* trailing zeros need no file bytes */
        filesz--;
    struct out_seg seg = { .vaddr = pa, .paddr = pa, .filesz = data ? filesz : 0,
                           .memsz = size, .flags = PF_R | PF_W, .data = data };
    image_add(img, &seg);
}

static void allocate(struct layout *L)
{
    struct system *sys = L->sys;
    for (size_t i = 0; i < sys->npds; i++)
        L->pds[i].pages_pa = alloc(L, L->pds[i].npages * PAGE_SIZE_SMALL, PAGE_SIZE_SMALL,
                                   sys->pds[i]->line, "program of PD", sys->pds[i]->name);
    for (size_t i = 0; i < sys->npds; i++)
        L->pds[i].stack_pa = alloc(L, sys->pds[i]->stack_size, PAGE_SIZE_SMALL,
                                   sys->pds[i]->line, "stack of PD", sys->pds[i]->name);
    for (size_t i = 0; i < sys->nmrs; i++)
        if (!sys->mrs[i].fixed)
            sys->mrs[i].paddr = alloc(L, sys->mrs[i].size, sys->mrs[i].page_size,
                                      sys->mrs[i].line, "memory region", sys->mrs[i].name);
}

/* Kernel first, then the tool's pieces in allocation (= address) order. */
static void emit(const struct layout *L, struct image *img, uint64_t spec_pa,
                 const uint8_t *spec, uint64_t spec_size)
{
    const struct system *sys = L->sys;
    for (size_t i = 0; i < L->kernel.nsegs; i++) {
        const struct elf_seg *s = &L->kernel.segs[i];
        struct out_seg seg = { .vaddr = s->vaddr, .paddr = s->paddr, .filesz = s->filesz,
                               .memsz = s->memsz, .flags = s->flags, .kernel = true,
                               .data = L->kernel.buf + s->offset };
        image_add(img, &seg);
    }
    for (size_t i = 0; i < sys->npds; i++)
        add_seg(img, L->pds[i].pages_pa, L->pds[i].data, L->pds[i].npages * PAGE_SIZE_SMALL);
    for (size_t i = 0; i < sys->npds; i++)
        add_seg(img, L->pds[i].stack_pa, NULL, sys->pds[i]->stack_size);
    for (size_t i = 0; i < sys->nmrs; i++)
        if (!sys->mrs[i].fixed)
            add_seg(img, sys->mrs[i].paddr, NULL, sys->mrs[i].size);
    add_seg(img, spec_pa, spec, spec_size);
}

void layout_build(struct system *sys, const struct build_opts *opts, struct image *img)
{
    struct layout *L = xcalloc(1, sizeof(*L));
    L->sys = sys;
    L->opts = opts;
    L->tables_tail = &L->tables;
    load_kernel(L);
    img->entry = kernel_entry_pa(L);
    L->spec_slot = kernel_spec_slot(L);
    for (size_t i = 0; i < sys->npds; i++)
        load_program(L, sys->pds[i]);
    if (opts->verbose)
        print_line("physical layout:");
    allocate(L);
    for (size_t i = 0; i < sys->npds; i++) {
        struct pd_image *pi = &L->pds[i];
        pi->ipc_pa = pi->pages_pa + pi->ipc_page * PAGE_SIZE_SMALL;
        patch_program(pi, sys->pds[i]);
        map_pd(L, sys->pds[i], pi);
    }
    uint64_t spec_bytes = align_up(sizeof(struct bootspec), PAGE_SIZE_SMALL);
    uint64_t total = spec_bytes + (uint64_t)L->ntables * PAGE_SIZE_SMALL;
    uint64_t spec_pa = alloc(L, total, PAGE_SIZE_SMALL, sys->line,
                             "boot spec and page tables of", sys->path);
    const uint8_t *spec = emit_spec_and_tables(L, spec_pa, spec_bytes, total);
    put_u64(L->spec_slot, spec_pa);
    emit(L, img, spec_pa, spec, total);
    if (opts->verbose)
        print_line("boot spec at %#llx, %u page tables, entry %#llx",
                   (unsigned long long)spec_pa, L->ntables, (unsigned long long)img->entry);
}

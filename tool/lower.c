/*
 * Lowering: subsystem elements (<net>, ...) become the plain elements
 * they stand for, in the XML tree itself, before system.c reads it. Each
 * class (net.c, ...) checks its element and describes its regions, maps,
 * channels, IRQs and config structs through the builders here; the
 * generated elements take the subsystem element's place (regions and
 * channels) or go to the end of their PD (maps, IRQs, configs), and carry
 * its line, so every later error points at it. Each class also notes the
 * PDs it made that answer the statistics query, for <stats> (stats.c),
 * lowered last. `pride lower` prints the result: a plain file that builds
 * the same image.
 *
 * Lowered maps go to a range of each PD's address space of their own,
 * above anything a hand-written map or a program normally uses.
 */
#include <stdarg.h>
#include <string.h>

#include "tool.h"

#define LOWERED_VADDR_BASE 0x1000000000ull

/* The next free address of each PD that got lowered maps. */
struct next_vaddr {
    const struct xml_node *pd;
    uint64_t vaddr;
};

struct lowering {
    struct xml_node *root;
    const struct xml_node *sub; /* the subsystem element being lowered */
    struct xml_node **insert;   /* where its regions and channels go */
    struct next_vaddr next[PRIDE_MAX_PDS];
    size_t nnext;
    /* regions one class placed for another's use, and where */
    struct { const char *name; uint64_t offset; } placed[PRIDE_MAX_PDS];
    size_t nplaced;
    /* PDs that answer the statistics query, and the channel they answer on */
    struct { const struct xml_node *pd; unsigned ch; } answers[PRIDE_MAX_PDS];
    size_t nanswers;
};

/* ---- tree building ---- */

static void add_attr(struct xml_node *n, int line, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_attr(struct xml_node *n, int line, const char *name, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    struct xml_attr *a = xcalloc(1, sizeof(*a)), **tail = &n->attrs;
    while (*tail)
        tail = &(*tail)->next;
    *a = (struct xml_attr){xstrdup(name), xstrdup(buf), line, NULL};
    *tail = a;
}

static struct xml_node *new_node(const struct lowering *L, const char *name)
{
    struct xml_node *n = xcalloc(1, sizeof(*n));
    n->name = name;
    n->line = L->sub->line;
    return n;
}

/* Appends to a PD's children. */
static struct xml_node *pd_child(const struct lowering *L, struct xml_node *pd, const char *name)
{
    struct xml_node *n = new_node(L, name), **tail = &pd->children;
    while (*tail)
        tail = &(*tail)->next;
    *tail = n;
    return n;
}

/* Inserts at the subsystem element's place, after what it produced so far. */
static struct xml_node *system_child(struct lowering *L, const char *name)
{
    struct xml_node *n = new_node(L, name);
    n->next = *L->insert;
    *L->insert = n;
    L->insert = &n->next;
    return n;
}

/* ---- finding PDs ---- */

static struct xml_node *find_pd_in(struct xml_node *n, const char *name)
{
    for (struct xml_node *c = n->children; c; c = c->next) {
        if (strcmp(c->name, "protection_domain"))
            continue;
        const struct xml_attr *a = find_attr(c, "name");
        if (a && !strcmp(a->value, name))
            return c;
        struct xml_node *nested = find_pd_in(c, name);
        if (nested)
            return nested;
    }
    return NULL;
}

struct xml_node *lower_find_pd(const struct lowering *L, const char *name)
{
    return find_pd_in(L->root, name);
}

struct xml_node *lower_pd(struct lowering *L, const struct xml_node *sub, const char *role,
                          bool need)
{
    const char *name = str_attr(sub, role, need);
    if (!name)
        return NULL;
    struct xml_node *pd = lower_find_pd(L, name);
    if (!pd)
        fail_at(attr_line(sub, role), "<%s> names PD '%s' as its %s, but there is no such "
                "protection domain", sub->name, name, role);
    if (!pd->group)
        pd->group = L->sub->name;
    return pd;
}

const char *lower_pd_name(const struct xml_node *pd)
{
    return find_attr(pd, "name")->value;
}

const char *lower_name(const struct lowering *L, const struct xml_node *pd, const char *what)
{
    const char *cls = L->sub->name, *name = lower_pd_name(pd);
    size_t n = strlen(cls) + strlen(name) + strlen(what) + 3;
    char *out = xcalloc(n, 1);
    snprintf(out, n, "%s_%s_%s", cls, name, what);
    return out;
}

unsigned lower_priority(const struct xml_node *pd)
{
    return (unsigned)num_attr(pd, "priority", 0, 0, PRIDE_MAX_PRIORITY);
}

int lower_line(const struct lowering *L)
{
    return L->sub->line;
}

/* ---- what several classes share ---- */

void lower_virtio_device(const struct xml_node *sub, uint64_t *page, unsigned *irq)
{
    *page = num_attr(sub, "device", PLAT_VIRTIO_LAST_PAGE, PLAT_VIRTIO_BASE,
                     PLAT_VIRTIO_LAST_PAGE);
    if (*page % PAGE_SIZE_SMALL)
        fail_at(attr_line(sub, "device"), "device %#llx is not a page of virtio-mmio slots",
                (unsigned long long)*page);
    *irq = (unsigned)num_attr(sub, "irq", PLAT_VIRTIO_LAST_INTID, PLAT_VIRTIO_FIRST_INTID,
                              PLAT_VIRTIO_LAST_INTID);
}

const char *lower_virtio_region(struct lowering *L, uint64_t page)
{
    char name[32];
    snprintf(name, sizeof(name), "virtio_mmio_%llx", (unsigned long long)page);
    for (const struct xml_node *c = L->root->children; c; c = c->next) {
        const struct xml_attr *a = find_attr(c, "name");
        if (!strcmp(c->name, "memory_region") && a && !strcmp(a->value, name))
            return a->value;
    }
    lower_region(L, name, PAGE_SIZE_SMALL, page);
    return xstrdup(name);
}

uint64_t lower_dma_window(const struct xml_node *sub)
{
    uint64_t dma = num_value(required(sub, "dma"), PLAT_RAM_BASE, RAM_END - 1);
    if (dma % PAGE_SIZE_SMALL)
        fail_at(attr_line(sub, "dma"), "dma window %#llx is not page-aligned",
                (unsigned long long)dma);
    return dma;
}

/* ---- checks every class makes ---- */

void lower_check_client(const struct lowering *L, const struct xml_node *c,
                        const char *const *attrs, unsigned count, unsigned max)
{
    if (strcmp(c->name, "client"))
        fail_at(c->line, "unknown element <%s> inside <%s>", c->name, L->sub->name);
    check_attrs(c, attrs);
    no_children(c);
    if (count == max)
        fail_at(c->line, "<%s> allows at most %u <client>", L->sub->name, max);
}

void lower_check_roles(const struct lowering *L, const struct xml_node *const *pds, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (pds[i] && pds[i] == pds[j])
                fail_at(lower_line(L), "PD '%s' has two roles in <%s>", lower_pd_name(pds[i]),
                        L->sub->name);
}

/* Signals flow one way along a data path, and the PD nearer the device
 * runs first: a neighbour it wakes runs once it is done, with the batch. */
void lower_check_above(const struct lowering *L, int line, const struct xml_node *near,
                       const char *near_role, const struct xml_node *far, const char *far_role)
{
    if (lower_priority(near) <= lower_priority(far))
        fail_at(line, "<%s> needs the %s '%s' (priority %u) above the %s '%s' (priority %u)",
                L->sub->name, near_role, lower_pd_name(near), lower_priority(near), far_role,
                lower_pd_name(far), lower_priority(far));
}

/* ---- builders ---- */

void lower_region(struct lowering *L, const char *name, uint64_t size, uint64_t paddr)
{
    struct xml_node *n = system_child(L, "memory_region");
    add_attr(n, n->line, "name", "%s", name);
    add_attr(n, n->line, "size", "%#llx", (unsigned long long)size);
    if (paddr)
        add_attr(n, n->line, "phys_addr", "%#llx", (unsigned long long)paddr);
}

static uint64_t take_vaddr(struct lowering *L, const struct xml_node *pd, uint64_t size)
{
    size_t i = 0;
    while (i < L->nnext && L->next[i].pd != pd)
        i++;
    if (i == L->nnext) {
        if (L->nnext == PRIDE_MAX_PDS)
            fail_at(lower_line(L), "more than %d protection domains", PRIDE_MAX_PDS);
        L->next[L->nnext++] = (struct next_vaddr){pd, LOWERED_VADDR_BASE};
    }
    uint64_t vaddr = L->next[i].vaddr;
    L->next[i].vaddr += (size + PAGE_SIZE_SMALL - 1) & ~(uint64_t)(PAGE_SIZE_SMALL - 1);
    return vaddr;
}

uint64_t lower_map(struct lowering *L, struct xml_node *pd, const char *name, uint64_t size,
                   const char *perms, bool cached)
{
    uint64_t vaddr = take_vaddr(L, pd, size);
    struct xml_node *n = pd_child(L, pd, "map");
    add_attr(n, n->line, "mr", "%s", name);
    add_attr(n, n->line, "vaddr", "%#llx", (unsigned long long)vaddr);
    add_attr(n, n->line, "perms", "%s", perms);
    if (!cached)
        add_attr(n, n->line, "cached", "false");
    return vaddr;
}

static void channel_end(struct xml_node *ch, const struct xml_node *pd, unsigned id, bool pp)
{
    struct xml_node *end = xcalloc(1, sizeof(*end)), **tail = &ch->children;
    while (*tail)
        tail = &(*tail)->next;
    *tail = end;
    end->name = "end";
    end->line = ch->line;
    add_attr(end, ch->line, "pd", "%s", lower_pd_name(pd));
    add_attr(end, ch->line, "id", "%u", id);
    if (pp)
        add_attr(end, ch->line, "pp", "true");
}

void lower_channel(struct lowering *L, struct xml_node *a, unsigned id_a, bool a_calls,
                   struct xml_node *b, unsigned id_b)
{
    struct xml_node *ch = system_child(L, "channel");
    channel_end(ch, a, id_a, a_calls);
    channel_end(ch, b, id_b, false);
}

void lower_irq(struct lowering *L, struct xml_node *pd, unsigned intid, unsigned id)
{
    struct xml_node *n = pd_child(L, pd, "irq");
    add_attr(n, n->line, "irq", "%u", intid);
    add_attr(n, n->line, "id", "%u", id);
    add_attr(n, n->line, "trigger", "level");
}

void lower_config(struct lowering *L, struct xml_node *pd, const char *symbol,
                  const void *bytes, size_t size)
{
    struct xml_node *n = pd_child(L, pd, "config");
    add_attr(n, n->line, "symbol", "%s", symbol);
    char *hex = xcalloc(2 * size + 1, 1);
    for (size_t i = 0; i < size; i++)
        snprintf(hex + 2 * i, 3, "%02x", ((const uint8_t *)bytes)[i]);
    struct xml_attr *a = xcalloc(1, sizeof(*a));
    *a = (struct xml_attr){"data", hex, n->line, NULL};
    n->attrs->next = a;
}

const struct xml_node *lower_root(const struct lowering *L)
{
    return L->root;
}

void lower_note_placed(struct lowering *L, const char *region, uint64_t offset)
{
    if (L->nplaced == PRIDE_MAX_PDS)
        fail_at(lower_line(L), "too many shared regions");
    L->placed[L->nplaced].name = region;
    L->placed[L->nplaced++].offset = offset;
}

bool lower_placed(const struct lowering *L, const char *region, uint64_t *offset)
{
    for (size_t i = 0; i < L->nplaced; i++)
        if (!strcmp(L->placed[i].name, region)) {
            *offset = L->placed[i].offset;
            return true;
        }
    return false;
}

void lower_note_stats(struct lowering *L, const struct xml_node *pd, unsigned ch)
{
    unsigned known;
    if (lower_stats_channel(L, pd, &known))
        return; /* one channel per PD: its first role's */
    if (L->nanswers == PRIDE_MAX_PDS)
        fail_at(lower_line(L), "more than %d protection domains", PRIDE_MAX_PDS);
    L->answers[L->nanswers].pd = pd;
    L->answers[L->nanswers++].ch = ch;
}

bool lower_stats_channel(const struct lowering *L, const struct xml_node *pd, unsigned *ch)
{
    for (size_t i = 0; i < L->nanswers; i++)
        if (L->answers[i].pd == pd) {
            *ch = L->answers[i].ch;
            return true;
        }
    return false;
}

/* ---- the subsystems ---- */

/* Classes are lowered in rounds, each round's elements in document order:
 * <fs> after the others, since its server's <blk> places the shared
 * region (fs.c); <stats> after every class has noted who answers it. */
#define ROUNDS 3
static const struct {
    const char *name;
    void (*lower)(struct lowering *L, const struct xml_node *sub);
    unsigned round;
} classes[] = {
    {"net", lower_net, 0},
    {"serial", lower_serial, 0},
    {"timer", lower_timer, 0},
    {"blk", lower_blk, 0},
    {"rtc", lower_rtc, 0},
    {"fs", lower_fs, 1},
    {"stats", lower_stats, 2},
};

static void lower_round(struct lowering *L, unsigned round)
{
    size_t count = sizeof(classes) / sizeof(classes[0]);
    for (struct xml_node **link = &L->root->children; *link;) {
        struct xml_node *sub = *link;
        size_t c = 0;
        while (c < count && strcmp(classes[c].name, sub->name))
            c++;
        if (c == count || classes[c].round != round) {
            link = &sub->next;
            continue;
        }
        *link = sub->next; /* the element goes; what it stands for comes in its place */
        L->sub = sub;
        L->insert = link;
        classes[c].lower(L, sub);
        link = L->insert;
    }
}

void lower_system(struct xml_node *root)
{
    static struct lowering L;
    L = (struct lowering){.root = root};
    for (unsigned round = 0; round < ROUNDS; round++)
        lower_round(&L, round);
}

/*
 * .system files: from the XML tree to a validated model.
 *
 * Parsing checks each element on its own (known names, attributes, ranges);
 * validate() then checks everything that relates elements to each other.
 * Nothing here needs ELF files, so `pride check` is exactly system_load().
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

/* ---- attribute helpers ---- */

const struct xml_attr *find_attr(const struct xml_node *n, const char *name)
{
    for (const struct xml_attr *a = n->attrs; a; a = a->next)
        if (!strcmp(a->name, name))
            return a;
    return NULL;
}

/* Names of the seL4 Microkit 2.x system description format that Pride cannot
 * honour yet. A file written for the Microkit that uses one is told what is
 * missing, not that it has a typo; any other name is still "unknown". Only
 * names from the Microkit manual belong here (docs/tool.md lists them). */
static const struct {
    const char *element;
    bool child; /* 'name' is a child element, otherwise an attribute */
    const char *name;
} not_yet[] = {
    { "system", true, "domain_schedule" },
    { "system", true, "io_address_space" },
    { "protection_domain", false, "domain" },
    { "protection_domain", false, "smc" },
    { "protection_domain", true, "virtual_machine" },
    { "map", false, "setvar_size" },
    { "irq", false, "polarity" },
};

static bool microkit_only(const char *element, bool child, const char *name)
{
    for (size_t i = 0; i < sizeof(not_yet) / sizeof(not_yet[0]); i++)
        if (not_yet[i].child == child && !strcmp(not_yet[i].element, element) &&
            !strcmp(not_yet[i].name, name))
            return true;
    return false;
}

/* The two ways a name can be wrong, each reported from one place. */
static _Noreturn void bad_attr(const struct xml_node *n, const struct xml_attr *a)
{
    if (microkit_only(n->name, false, a->name))
        fail_at(a->line, "attribute '%s' on <%s> is not supported by Pride yet", a->name,
                n->name);
    fail_at(a->line, "unknown attribute '%s' on <%s>", a->name, n->name);
}

static _Noreturn void bad_child(const struct xml_node *n, const struct xml_node *c)
{
    if (microkit_only(n->name, true, c->name))
        fail_at(c->line, "<%s> inside <%s> is not supported by Pride yet", c->name,
                n->name);
    fail_at(c->line, "unknown element <%s> inside <%s>", c->name, n->name);
}

/* 'allowed' is a NULL-terminated list; anything else is a typo worth reporting. */
void check_attrs(const struct xml_node *n, const char *const *allowed)
{
    for (const struct xml_attr *a = n->attrs; a; a = a->next) {
        const char *const *ok = allowed;
        while (*ok && strcmp(*ok, a->name))
            ok++;
        if (!*ok)
            bad_attr(n, a);
    }
}

const struct xml_attr *required(const struct xml_node *n, const char *name)
{
    const struct xml_attr *a = find_attr(n, name);
    if (!a)
        fail_at(n->line, "<%s> is missing required attribute '%s'", n->name, name);
    return a;
}

const char *str_attr(const struct xml_node *n, const char *name, bool need)
{
    const struct xml_attr *a = need ? required(n, name) : find_attr(n, name);
    if (a && !a->value[0])
        fail_at(a->line, "attribute '%s' of <%s> is empty", name, n->name);
    return a ? a->value : NULL;
}

uint64_t num_value(const struct xml_attr *a, uint64_t min, uint64_t max)
{
    uint64_t v;
    const char *why = parse_u64(a->value, &v);
    if (why)
        fail_at(a->line, "attribute '%s': invalid number '%s' (%s)", a->name,
                a->value, why);
    if (v < min || v > max)
        fail_at(a->line, "attribute '%s' is %s, must be in %llu..%llu", a->name,
                a->value, (unsigned long long)min, (unsigned long long)max);
    return v;
}

uint64_t num_attr(const struct xml_node *n, const char *name, uint64_t def,
                         uint64_t min, uint64_t max)
{
    const struct xml_attr *a = find_attr(n, name);
    return a ? num_value(a, min, max) : def;
}

bool bool_attr(const struct xml_node *n, const char *name, bool def)
{
    const struct xml_attr *a = find_attr(n, name);
    if (!a)
        return def;
    if (!strcmp(a->value, "true"))
        return true;
    if (!strcmp(a->value, "false"))
        return false;
    fail_at(a->line, "attribute '%s' must be \"true\" or \"false\", not '%s'", name,
            a->value);
}

int attr_line(const struct xml_node *n, const char *name)
{
    const struct xml_attr *a = find_attr(n, name);
    return a ? a->line : n->line;
}

static size_t count_children(const struct xml_node *n, const char *name)
{
    size_t count = 0;
    for (const struct xml_node *c = n->children; c; c = c->next)
        count += !strcmp(c->name, name);
    return count;
}

void no_children(const struct xml_node *n)
{
    if (n->children)
        bad_child(n, n->children);
}

/* ---- elements ---- */

static unsigned perms_attr(const struct xml_node *n)
{
    const struct xml_attr *a = find_attr(n, "perms");
    if (!a)
        return PERM_R | PERM_W;
    unsigned perms = 0;
    for (const char *c = a->value; *c; c++) {
        unsigned bit = *c == 'r' ? PERM_R : *c == 'w' ? PERM_W : *c == 'x' ? PERM_X : 0;
        if (!bit || (perms & bit))
            fail_at(a->line, "perms '%s' must be a subset of \"rwx\"", a->value);
        perms |= bit;
    }
    /* EL0 page permissions cannot express write- or execute-only */
    if (!(perms & PERM_R))
        fail_at(a->line, "perms '%s' must include 'r'", a->value);
    return perms;
}

static void parse_map(const struct xml_node *n, struct map *m)
{
    static const char *const attrs[] = { "mr", "vaddr", "perms", "cached",
                                         "setvar_vaddr", NULL };
    check_attrs(n, attrs);
    no_children(n);
    m->line = n->line;
    m->mr_name = str_attr(n, "mr", true);
    const struct xml_attr *va = required(n, "vaddr");
    m->vaddr = num_value(va, 0, UINT64_MAX);
    if (m->vaddr >= USER_VA_LIMIT)
        fail_at(va->line, "vaddr %#llx is outside the user address range (below %#llx)",
                (unsigned long long)m->vaddr, USER_VA_LIMIT);
    if (m->vaddr % PAGE_SIZE_SMALL)
        fail_at(va->line, "vaddr %#llx is not aligned to the page size",
                (unsigned long long)m->vaddr);
    m->perms = perms_attr(n);
    m->cached = bool_attr(n, "cached", true);
    m->setvar_vaddr = str_attr(n, "setvar_vaddr", false);
}

/* A PPI reaches a PD only if the kernel delivers it, and its trigger is
 * fixed by the hardware: a different one asked for could not be honoured. */
static void check_ppi(const struct xml_node *n, struct irq *irq, const char *trigger)
{
    if (!((PLAT_PD_PPIS >> irq->intid) & 1))
        fail_at(attr_line(n, "irq"), "IRQ %u is a PPI that the kernel does not deliver to PDs",
                irq->intid);
    bool edge = (PLAT_PD_PPIS_EDGE >> irq->intid) & 1;
    if (trigger && irq->edge != edge)
        fail_at(attr_line(n, "trigger"), "IRQ %u is a PPI with a fixed %s trigger, not \"%s\"",
                irq->intid, edge ? "edge" : "level", trigger);
    irq->edge = edge;
}

static void parse_irq(const struct xml_node *n, struct irq *irq)
{
    static const char *const attrs[] = { "irq", "id", "trigger", NULL };
    check_attrs(n, attrs);
    no_children(n);
    irq->line = n->line;
    const struct xml_attr *a = required(n, "irq");
    irq->intid = (unsigned)num_value(a, PLAT_GIC_FIRST_PPI, PLAT_GIC_NUM_INTIDS - 1);
    if (irq->intid == PLAT_KERNEL_TIMER_INTID)
        fail_at(a->line, "IRQ %d is the kernel's timer and cannot be given to a PD",
                PLAT_KERNEL_TIMER_INTID);
    irq->id = (unsigned)num_value(required(n, "id"), 0, PRIDE_MAX_CHANNELS - 1);
    const char *trigger = str_attr(n, "trigger", false);
    if (trigger && strcmp(trigger, "level") && strcmp(trigger, "edge"))
        fail_at(attr_line(n, "trigger"), "trigger must be \"level\" or \"edge\", not '%s'",
                trigger);
    irq->edge = trigger && !strcmp(trigger, "edge");
    if (irq->intid < PLAT_GIC_FIRST_SPI)
        check_ppi(n, irq, trigger);
}

static void parse_setvar(const struct xml_node *n, struct setvar *sv)
{
    static const char *const attrs[] = { "symbol", "region_paddr", NULL };
    check_attrs(n, attrs);
    no_children(n);
    sv->line = n->line;
    sv->symbol = str_attr(n, "symbol", true);
    sv->mr_name = str_attr(n, "region_paddr", true);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Pride's own element (what subsystem elements lower to; docs/tool.md). */
static void parse_config(const struct xml_node *n, struct config_patch *cp)
{
    static const char *const attrs[] = { "symbol", "data", NULL };
    check_attrs(n, attrs);
    no_children(n);
    cp->line = n->line;
    cp->symbol = str_attr(n, "symbol", true);
    const struct xml_attr *data = required(n, "data");
    size_t len = strlen(data->value);
    cp->size = len / 2;
    cp->bytes = xcalloc(cp->size + 1, 1);
    for (size_t i = 0; i < len; i++) {
        int d = hex_digit(data->value[i]);
        if (d < 0 || len % 2)
            fail_at(data->line, "attribute 'data' must be pairs of lower-case hex digits");
        cp->bytes[i / 2] = (uint8_t)(cp->bytes[i / 2] << 4 | d);
    }
}

static void parse_pd(struct system *sys, const struct xml_node *n, struct pd *parent);

static void parse_pd_children(struct system *sys, const struct xml_node *n,
                              struct pd *pd)
{
    pd->maps = xcalloc(count_children(n, "map"), sizeof(struct map));
    pd->irqs = xcalloc(count_children(n, "irq"), sizeof(struct irq));
    pd->setvars = xcalloc(count_children(n, "setvar"), sizeof(struct setvar));
    pd->configs = xcalloc(count_children(n, "config"), sizeof(struct config_patch));
    for (const struct xml_node *c = n->children; c; c = c->next) {
        if (!strcmp(c->name, "program_image")) {
            static const char *const attrs[] = { "path", NULL };
            check_attrs(c, attrs);
            no_children(c);
            if (pd->image)
                fail_at(c->line, "protection domain '%s' has more than one <program_image>",
                        pd->name);
            pd->image = str_attr(c, "path", true);
            pd->image_line = c->line;
        } else if (!strcmp(c->name, "map")) {
            parse_map(c, &pd->maps[pd->nmaps++]);
        } else if (!strcmp(c->name, "irq")) {
            parse_irq(c, &pd->irqs[pd->nirqs++]);
        } else if (!strcmp(c->name, "setvar")) {
            parse_setvar(c, &pd->setvars[pd->nsetvars++]);
        } else if (!strcmp(c->name, "config")) {
            parse_config(c, &pd->configs[pd->nconfigs++]);
        } else if (!strcmp(c->name, "protection_domain")) {
            parse_pd(sys, c, pd);
        } else {
            bad_child(n, c);
        }
    }
    if (!pd->image)
        fail_at(n->line, "protection domain '%s' has no <program_image>", pd->name);
}

/* The kernel prints PD names in its fault reports: printable ASCII only. */
static const char *pd_name(const struct xml_node *n)
{
    const char *name = str_attr(n, "name", true);
    if (strlen(name) > PRIDE_NAME_LEN - 1)
        fail_at(attr_line(n, "name"), "PD name '%s' is longer than %d characters", name,
                PRIDE_NAME_LEN - 1);
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        if (*c < ' ' || *c > '~')
            fail_at(attr_line(n, "name"), "PD name '%s' contains a control character or a "
                    "byte outside ASCII", name);
    return name;
}

static void parse_pd(struct system *sys, const struct xml_node *n, struct pd *parent)
{
    static const char *const attrs[] = { "name", "priority", "budget", "period",
                                         "passive", "stack_size", "id", "cpu", NULL };
    check_attrs(n, attrs);
    if (sys->npds == PRIDE_MAX_PDS)
        fail_at(n->line, "more than %d protection domains", PRIDE_MAX_PDS);
    struct pd *pd = xcalloc(1, sizeof(*pd));
    pd->index = (unsigned)sys->npds;
    sys->pds[sys->npds++] = pd;
    pd->line = n->line;
    pd->parent = parent;
    pd->name = pd_name(n);
    pd->group = n->group;
    pd->priority = (unsigned)num_attr(n, "priority", 0, 0, PRIDE_MAX_PRIORITY);
    pd->budget = (uint32_t)num_attr(n, "budget", 1000, 1, UINT32_MAX);
    pd->period = (uint32_t)num_attr(n, "period", pd->budget, 1, UINT32_MAX);
    if (pd->budget > pd->period)
        fail_at(attr_line(n, "budget"), "budget (%u us) is larger than period (%u us)",
                pd->budget, pd->period);
    pd->passive = bool_attr(n, "passive", false);
    pd->cpu = (unsigned)num_attr(n, "cpu", 0, 0, PLAT_MAX_CORES - 1);
    pd->stack_size = num_attr(n, "stack_size", 0x2000, 0x1000, 0x1000000);
    if (pd->stack_size % PAGE_SIZE_SMALL)
        fail_at(attr_line(n, "stack_size"), "stack_size %#llx is not a multiple of 0x1000",
                (unsigned long long)pd->stack_size);
    const struct xml_attr *id = find_attr(n, "id");
    if (parent)
        pd->id_in_parent = (unsigned)num_value(required(n, "id"), 0, PRIDE_MAX_CHANNELS - 1);
    else if (id)
        fail_at(id->line, "attribute 'id' is only allowed on a nested (child) protection domain");
    parse_pd_children(sys, n, pd);
}

/* Physical ranges the kernel owns that are known without the kernel's ELF
 * file (layout.c checks the kernel image itself). */
static const struct {
    uint64_t base, size;
    const char *what;
} kernel_owned[] = {
    { PLAT_GIC_WINDOW_BASE, PLAT_GIC_WINDOW_SIZE, "the interrupt controller (GIC)" },
};

/* A fixed region must be addressable, lie wholly inside RAM (normal memory
 * the tool also hands out) or wholly outside it (devices), and keep clear of
 * everything the kernel owns. */
static void parse_phys_addr(const struct xml_attr *pa, struct mr *mr)
{
    const uint64_t pa_limit = PRIDE_U64(1) << PLAT_PA_BITS;
    mr->paddr = num_value(pa, 0, UINT64_MAX);
    mr->fixed = true;
    unsigned long long base = mr->paddr, size = mr->size, end = base + size;
    if (base % mr->page_size)
        fail_at(pa->line, "phys_addr %#llx is not aligned to the page size %#llx", base,
                (unsigned long long)mr->page_size);
    if (base >= pa_limit || size > pa_limit - base)
        fail_at(pa->line, "region '%s' at %#llx (size %#llx) reaches beyond the %d-bit "
                "physical address space", mr->name, base, size, PLAT_PA_BITS);
    if (base < PLAT_RAM_BASE && end > PLAT_RAM_BASE)
        fail_at(pa->line, "region '%s' (%#llx..%#llx) crosses the start of RAM at %#llx",
                mr->name, base, end, PLAT_RAM_BASE);
    if (base < RAM_END && end > RAM_END)
        fail_at(pa->line, "region '%s' (%#llx..%#llx) crosses the end of RAM at %#llx",
                mr->name, base, end, RAM_END);
    for (size_t i = 0; i < sizeof(kernel_owned) / sizeof(kernel_owned[0]); i++)
        if (ranges_overlap(base, size, kernel_owned[i].base, kernel_owned[i].size))
            fail_at(pa->line, "region '%s' (%#llx..%#llx) overlaps %s at %#llx..%#llx, which "
                    "the kernel owns", mr->name, base, end, kernel_owned[i].what,
                    (unsigned long long)kernel_owned[i].base,
                    (unsigned long long)(kernel_owned[i].base + kernel_owned[i].size));
}

static void parse_mr(const struct xml_node *n, struct mr *mr)
{
    static const char *const attrs[] = { "name", "size", "page_size", "phys_addr", NULL };
    check_attrs(n, attrs);
    no_children(n);
    mr->line = n->line;
    mr->name = str_attr(n, "name", true);
    const struct xml_attr *size = required(n, "size");
    mr->size = num_value(size, 1, UINT64_MAX);
    mr->page_size = num_attr(n, "page_size", PAGE_SIZE_SMALL, 0, UINT64_MAX);
    if (mr->page_size != PAGE_SIZE_SMALL && mr->page_size != PAGE_SIZE_LARGE)
        fail_at(attr_line(n, "page_size"), "page_size must be 0x1000 or 0x200000");
    if (mr->size % mr->page_size)
        fail_at(size->line, "size %#llx is not a multiple of the page size %#llx",
                (unsigned long long)mr->size, (unsigned long long)mr->page_size);
    const struct xml_attr *pa = find_attr(n, "phys_addr");
    if (pa)
        parse_phys_addr(pa, mr);
}

static void parse_end(const struct xml_node *n, struct chan_end *end)
{
    static const char *const attrs[] = { "pd", "id", "pp", "notify", NULL };
    check_attrs(n, attrs);
    no_children(n);
    end->line = n->line;
    end->pd_name = str_attr(n, "pd", true);
    end->id = (unsigned)num_value(required(n, "id"), 0, PRIDE_MAX_CHANNELS - 1);
    end->pp = bool_attr(n, "pp", false);
    end->notify = bool_attr(n, "notify", true);
}

static void parse_channel(const struct xml_node *n, struct channel *ch)
{
    static const char *const none[] = { NULL };
    check_attrs(n, none);
    ch->line = n->line;
    size_t ends = 0;
    for (const struct xml_node *c = n->children; c; c = c->next) {
        if (strcmp(c->name, "end"))
            bad_child(n, c);
        if (ends == 2)
            fail_at(c->line, "a channel must have exactly two <end> elements");
        parse_end(c, &ch->end[ends++]);
    }
    if (ends != 2)
        fail_at(n->line, "a channel must have exactly two <end> elements, found %zu", ends);
}

/* ---- cross-element validation ---- */

/* Sorts 'refs' by name and fails at the first (document order) repeat. */
static struct name_ref *unique_names(struct name_ref *refs, size_t n, const char *kind)
{
    names_sort(refs, n);
    const struct name_ref *first;
    const struct name_ref *repeat = names_repeat(refs, n, &first);
    if (repeat)
        fail_at(repeat->line, "duplicate %s name '%s' (first on line %d)", kind, repeat->name,
                first->line);
    return refs;
}

static struct pd *find_pd(const struct system *sys, const char *name)
{
    const struct name_ref *ref = names_find(sys->pd_names, sys->npds, name);
    return ref ? sys->pds[ref->index] : NULL;
}

static struct mr *find_mr(const struct system *sys, const char *name)
{
    const struct name_ref *ref = names_find(sys->mr_names, sys->nmrs, name);
    return ref ? &sys->mrs[ref->index] : NULL;
}

static void index_names(struct system *sys)
{
    struct name_ref *pds = xcalloc(sys->npds, sizeof(*pds));
    for (size_t i = 0; i < sys->npds; i++)
        pds[i] = (struct name_ref){ sys->pds[i]->name, i, sys->pds[i]->line };
    sys->pd_names = unique_names(pds, sys->npds, "protection domain");
    struct name_ref *mrs = xcalloc(sys->nmrs, sizeof(*mrs));
    for (size_t i = 0; i < sys->nmrs; i++)
        mrs[i] = (struct name_ref){ sys->mrs[i].name, i, sys->mrs[i].line };
    sys->mr_names = unique_names(mrs, sys->nmrs, "memory region");
}

/* Quadratic, but in the number of PDs, which is at most PRIDE_MAX_PDS. */
static void check_child_ids(const struct system *sys)
{
    for (size_t i = 0; i < sys->npds; i++)
        for (size_t j = 0; j < i; j++)
            if (sys->pds[j]->parent && sys->pds[j]->parent == sys->pds[i]->parent &&
                sys->pds[j]->id_in_parent == sys->pds[i]->id_in_parent)
                fail_at(sys->pds[i]->line, "child id %u of '%s' is already used by '%s'",
                        sys->pds[i]->id_in_parent, sys->pds[i]->parent->name,
                        sys->pds[j]->name);
}

uint64_t stack_bottom(const struct pd *pd)
{
    return USER_STACK_TOP - pd->stack_size;
}

/* Above the guard page the stack area runs to USER_VA_LIMIT, so it also
 * holds the unmapped page above USER_STACK_TOP. */
const char *stack_clash(const struct pd *pd, uint64_t end)
{
    if (end > stack_bottom(pd))
        return "overlaps the stack area";
    if (end > stack_bottom(pd) - STACK_GUARD_SIZE)
        return "overlaps the guard page below the stack";
    return NULL;
}

static void check_map(const struct system *sys, const struct pd *pd, struct map *m)
{
    const char *name = m->mr_name;
    unsigned long long va = m->vaddr;
    m->mr = find_mr(sys, name);
    if (!m->mr)
        fail_at(m->line, "map of unknown memory region '%s'", name);
    if (m->vaddr % m->mr->page_size)
        fail_at(m->line, "vaddr %#llx is not aligned to region '%s' page size %#llx", va, name,
                (unsigned long long)m->mr->page_size);
    if (m->mr->size > USER_VA_LIMIT - m->vaddr)
        fail_at(m->line, "map of '%s' at %#llx extends beyond the user address range", name, va);
    const char *clash = stack_clash(pd, m->vaddr + m->mr->size);
    if (clash)
        fail_at(m->line, "map of '%s' at %#llx %s (guard page at %#llx, stack from %#llx)",
                name, va, clash, (unsigned long long)(stack_bottom(pd) - STACK_GUARD_SIZE),
                (unsigned long long)stack_bottom(pd));
}

static void check_maps(const struct system *sys, struct pd *pd)
{
    struct span *spans = xcalloc(pd->nmaps, sizeof(*spans));
    for (size_t i = 0; i < pd->nmaps; i++) {
        struct map *m = &pd->maps[i];
        check_map(sys, pd, m);
        spans[i] = (struct span){ m->vaddr, m->mr->size, m->line, i };
    }
    spans_sort(spans, pd->nmaps);
    const struct span *earlier, *later;
    if (spans_overlap(spans, pd->nmaps, &earlier, &later))
        fail_at(later->line, "map of '%s' at %#llx overlaps the map on line %d",
                pd->maps[later->index].mr_name, (unsigned long long)later->base, earlier->line);
    for (size_t i = 0; i < pd->nsetvars; i++) {
        struct setvar *sv = &pd->setvars[i];
        sv->mr = find_mr(sys, sv->mr_name);
        if (!sv->mr)
            fail_at(sv->line, "setvar region_paddr names unknown memory region '%s'",
                    sv->mr_name);
    }
}

/* Also keeps, in address order, the fixed regions inside RAM: the holes the
 * allocator steps around. */
static void check_fixed_regions(struct system *sys)
{
    struct span *fixed = xcalloc(sys->nmrs, sizeof(*fixed));
    size_t n = 0;
    for (size_t i = 0; i < sys->nmrs; i++)
        if (sys->mrs[i].fixed)
            fixed[n++] = (struct span){ sys->mrs[i].paddr, sys->mrs[i].size, sys->mrs[i].line, i };
    spans_sort(fixed, n);
    const struct span *earlier, *later;
    if (spans_overlap(fixed, n, &earlier, &later))
        fail_at(later->line, "region '%s' overlaps fixed region '%s' (line %d)",
                sys->mrs[later->index].name, sys->mrs[earlier->index].name, earlier->line);
    sys->ram_holes = fixed;
    for (size_t i = 0; i < n; i++)
        if (fixed[i].base >= PLAT_RAM_BASE && fixed[i].base < RAM_END)
            fixed[sys->nram_holes++] = fixed[i];
}

static void claim_id(struct pd *pd, unsigned id, int line)
{
    struct id_use *use = &pd->ids[id];
    if (use->end || use->irq)
        fail_at(line, "channel id %u is already used in PD '%s' (line %d)", id, pd->name,
                use->end ? use->end->line : use->irq->line);
}

static void check_irqs(const struct system *sys)
{
    struct { const struct irq *irq; const struct pd *pd; } claims[PLAT_GIC_NUM_INTIDS] = { 0 };
    size_t total = 0;
    for (size_t i = 0; i < sys->npds; i++) {
        struct pd *pd = sys->pds[i];
        for (size_t k = 0; k < pd->nirqs; k++) {
            struct irq *irq = &pd->irqs[k];
            if (++total > PRIDE_MAX_IRQS)
                fail_at(irq->line, "more than %d IRQs in the system", PRIDE_MAX_IRQS);
            claim_id(pd, irq->id, irq->line);
            pd->ids[irq->id].irq = irq;
            if (claims[irq->intid].irq)
                fail_at(irq->line, "IRQ %u is already claimed by PD '%s' (line %d)",
                        irq->intid, claims[irq->intid].pd->name, claims[irq->intid].irq->line);
            claims[irq->intid].irq = irq;
            claims[irq->intid].pd = pd;
        }
    }
}

static void check_channels(const struct system *sys)
{
    for (size_t i = 0; i < sys->nchannels; i++) {
        struct channel *ch = &sys->channels[i];
        for (int e = 0; e < 2; e++) {
            const char *name = ch->end[e].pd_name;
            ch->end[e].pd = find_pd(sys, name);
            if (!ch->end[e].pd)
                fail_at(ch->end[e].line, "channel end names unknown PD '%s'", name);
        }
        if (ch->end[0].pd == ch->end[1].pd)
            fail_at(ch->end[1].line, "both ends of the channel are PD '%s'",
                    ch->end[0].pd->name);
        if (ch->end[0].pp && ch->end[1].pp)
            fail_at(ch->end[1].line, "pp=\"true\" on both ends of a channel");
        for (int e = 0; e < 2; e++) {
            struct chan_end *end = &ch->end[e];
            claim_id(end->pd, end->id, end->line);
            end->pd->ids[end->id].end = end;
            end->pd->ids[end->id].peer = &ch->end[1 - e];
        }
    }
}

/* Depth-first search over "may call" edges; a grey callee closes a cycle. */
static void ppc_dfs(const struct system *sys, struct pd *pd, char *colour,
                    struct pd **path, size_t depth)
{
    colour[pd->index] = 1;
    path[depth] = pd;
    for (size_t i = 0; i < sys->nchannels; i++) {
        for (int e = 0; e < 2; e++) {
            const struct chan_end *end = &sys->channels[i].end[e];
            struct pd *callee = sys->channels[i].end[1 - e].pd;
            if (end->pd != pd || !end->pp)
                continue;
            if (colour[callee->index] == 1) {
                char cycle[PRIDE_MAX_PDS * (PRIDE_NAME_LEN + 4)] = "";
                size_t start = 0;
                while (path[start] != callee)
                    start++;
                for (size_t k = start; k <= depth; k++)
                    snprintf(cycle + strlen(cycle), sizeof(cycle) - strlen(cycle),
                             "%s -> ", path[k]->name);
                fail_at(end->line, "protected procedure call cycle: %s%s", cycle,
                        callee->name);
            }
            if (colour[callee->index] == 0)
                ppc_dfs(sys, callee, colour, path, depth + 1);
        }
    }
    colour[pd->index] = 2;
}

static void check_ppc(const struct system *sys)
{
    char colour[PRIDE_MAX_PDS] = { 0 };
    struct pd *path[PRIDE_MAX_PDS];
    for (size_t i = 0; i < sys->npds; i++)
        if (!colour[i])
            ppc_dfs(sys, sys->pds[i], colour, path, 0);
    /* only after cycles: a cycle always also breaks the priority rule */
    for (size_t i = 0; i < sys->nchannels; i++) {
        for (int e = 0; e < 2; e++) {
            const struct chan_end *end = &sys->channels[i].end[e];
            const struct pd *callee = sys->channels[i].end[1 - e].pd;
            if (end->pp && callee->priority <= end->pd->priority)
                fail_at(end->line, "protected procedure call to a PD of equal or lower "
                        "priority ('%s' %u -> '%s' %u)", end->pd->name,
                        end->pd->priority, callee->name, callee->priority);
            /* A passive server runs a call on its caller's scheduling
             * context, which is charged by the caller's core only. */
            if (end->pp && callee->passive && callee->cpu != end->pd->cpu)
                fail_at(end->line, "protected procedure call to a passive PD on another core "
                        "('%s' on cpu %u -> '%s' on cpu %u)", end->pd->name, end->pd->cpu,
                        callee->name, callee->cpu);
        }
    }
}

static void validate(struct system *sys)
{
    index_names(sys);
    check_child_ids(sys);
    for (size_t i = 0; i < sys->npds; i++)
        check_maps(sys, sys->pds[i]);
    check_fixed_regions(sys);
    check_irqs(sys);
    check_channels(sys);
    check_ppc(sys);
}

static const char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    if (slash == path)
        return "/";
    return xconcat(path, (size_t)(slash - path), "");
}

struct system *system_load(const char *path)
{
    size_t len;
    uint8_t *text = read_file(path, &len);
    if (!text)
        fail_path(path, "cannot read: %s", strerror(errno));
    set_error_file(path);
    struct xml_node *root = xml_parse((const char *)text, len);
    if (strcmp(root->name, "system"))
        fail_at(root->line, "root element must be <system>, not <%s>", root->name);
    static const char *const none[] = { NULL };
    check_attrs(root, none);
    lower_system(root);

    struct system *sys = xcalloc(1, sizeof(*sys));
    sys->tree = root;
    sys->path = path;
    sys->dir = dir_of(path);
    sys->line = root->line;
    sys->mrs = xcalloc(count_children(root, "memory_region"), sizeof(struct mr));
    sys->channels = xcalloc(count_children(root, "channel"), sizeof(struct channel));
    for (const struct xml_node *c = root->children; c; c = c->next) {
        if (!strcmp(c->name, "protection_domain"))
            parse_pd(sys, c, NULL);
        else if (!strcmp(c->name, "memory_region"))
            parse_mr(c, &sys->mrs[sys->nmrs++]);
        else if (!strcmp(c->name, "channel"))
            parse_channel(c, &sys->channels[sys->nchannels++]);
        else
            bad_child(root, c);
    }
    if (!sys->npds)
        fail_at(root->line, "the system has no protection domains");
    validate(sys);
    return sys;
}

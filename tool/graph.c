/*
 * pride graph: the validated model drawn as one standalone SVG file.
 *
 * PDs stand in rows by priority, highest on top; a row holds the PDs of one
 * priority in document order (at most ROW_MAX_PDS, then the next row goes
 * on). Channels and parent-child links are wires: each leaves the top of its
 * two boxes, turns in the gap above their rows and runs in a vertical lane of
 * its own, left of every box. Regions mapped by several PDs (or by none) are
 * nodes in a column on the right, each with a vertical bus; a map of one is a
 * link leaving the bottom of the PD's box, turning in the gap below its row
 * and joining the bus at a dot. Every line turns in a lane of its own, so no
 * line crosses a box or runs along another. Regions mapped by one PD and IRQs
 * are lines of text in the PD's box.
 *
 * The stages run one after another on one struct graph: rows, wires and
 * links, box sizes, horizontal places, lanes, vertical places, the region
 * column, then the output. Coordinates are integers computed from the model
 * alone, so the same file always gives the same bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tool.h"

enum {
    MARGIN = 20,
    TITLE_H = 30,     /* the file name above everything */
    LANE = 9,         /* between parallel lines: room for one small label */
    STUB_GAP = 14,    /* least distance between lines leaving one box edge */
    LABEL_ROOM = 56,  /* between the boxes and the lanes beside them */
    ROW_PAD = 10,     /* between a row's boxes and its nearest lane */
    GUTTER_MID = 8,   /* between the lanes below a row and those above the next */
    BOX_GAP = 40,     /* between the boxes of one row */
    REGION_GAP = 8,   /* between region nodes */
    ROW_MAX_PDS = 6,
    PAD = 8,          /* inside a box */
    LINE_H = 16,      /* one line of text in a box */
    CHAR_W = 8,       /* at least the advance of a 12px monospace character */
    MIN_BOX_W = 150,
    SWATCH_W = 28,    /* a legend sample */
    LEGEND_LINE_H = 18,
};

/* Neighbouring lines get different colours, so each can be followed. */
#define FIRST_COLOUR "#1f77b4"
static const char *const colours[] = { FIRST_COLOUR, "#d62728", "#2ca02c", "#9467bd",
                                       "#ff7f0e", "#8c564b", "#e377c2", "#17becf" };
#define NCOLOURS (sizeof(colours) / sizeof(colours[0]))
#define CHILD_COLOUR "#666666"

static const char style[] =
    "<style>\n"
    "text{font-family:monospace;font-size:12px;fill:#1a1a1a}\n"
    ".name{font-weight:bold}\n"
    ".small{font-size:8px}\n"
    ".end{text-anchor:end}\n"
    ".dev{fill:#a04000}\n"
    ".irq{fill:#6a1b9a}\n"
    ".group{fill:#00695c;font-style:italic}\n"
    "rect.pd{fill:#e8eef8;stroke:#1f3a68;stroke-width:1.5}\n"
    "rect.passive{fill:#f4f4f4;stroke-dasharray:5 3}\n"
    "rect.mr{fill:#eaf6e9;stroke:#2d6a2d}\n"
    "rect.device{fill:#fbeee0;stroke:#a04000;stroke-dasharray:4 2}\n"
    ".wire{fill:none;stroke-width:1.5}\n"
    ".child{stroke-dasharray:6 3}\n"
    "</style>\n";

struct text_line {
    const char *text; /* raw: escaped when written */
    const char *cls;  /* CSS class, or NULL */
};

/* A rectangle with lines of text; the first line is the name. */
struct box {
    long x, y, w, h;
    const char *cls;
    struct text_line *lines;
    size_t nlines;
};

/* Where a line leaves a box edge, and the lane in which it turns. */
struct stub {
    size_t node;   /* the PD's index in sys->pds */
    unsigned row;
    unsigned slot; /* position along the edge */
    unsigned lane; /* 0: the lane nearest the row */
    long x;
};

enum wire_kind { WIRE_NOTIFY, WIRE_PPC, WIRE_CHILD };

struct wire {
    enum wire_kind kind;
    size_t bus;           /* rank of its vertical lane, 0 the leftmost */
    unsigned span;        /* rows between its ends */
    struct stub end[2];   /* a PPC's end[0] calls end[1]; a child's end[0] is the parent */
    const char *label[2]; /* beside each end, or NULL */
};

/* One map of a region in the column. */
struct link {
    struct stub stub;
    size_t region; /* index in sys->mrs */
    unsigned perms;
};

struct pd_node {
    struct box box;
    unsigned row;
    unsigned ntop, nbottom; /* stubs on each edge */
};

struct region_node {
    struct box box;
    size_t users;     /* distinct PDs mapping it */
    size_t last_user; /* index + 1 of the last PD counted */
    size_t nlinks;
    unsigned first_row; /* of its highest mapping PD; orders the column */
    size_t index;
    const char *colour;
    long bus_x, bus_top, bus_bottom;
};

struct row {
    long y, h;
    unsigned top_lanes, bottom_lanes;
};

struct graph {
    const struct system *sys;
    struct pd_node *nodes;     /* as sys->pds */
    struct pd **placed;        /* row by row, left to right */
    struct row *rows;
    unsigned nrows;
    struct region_node *regions; /* as sys->mrs */
    struct region_node **column; /* top to bottom */
    size_t ncolumn;
    struct wire *wires;
    size_t nwires;
    struct link *links;
    size_t nlinks;
    long pd_left, pd_right, pd_bottom, width, height, legend_y;
};

static long max_long(long a, long b)
{
    return a > b ? a : b;
}

static long min_long(long a, long b)
{
    return a < b ? a : b;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *format(const char *fmt, ...)
{
    va_list ap, again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t len = n > 0 ? (size_t)n : 0;
    char *text = xcalloc(len + 1, 1);
    vsnprintf(text, len + 1, fmt, again);
    va_end(again);
    return text;
}

static long text_width(const char *text)
{
    return (long)escaped_width(text) * CHAR_W;
}

/* Indexed by PERM_R | PERM_W | PERM_X. */
static const char *perms_text(unsigned perms)
{
    static const char *const text[] = { "", "r", "w", "rw", "x", "rx", "wx", "rwx" };
    return text[perms & 7];
}

/* ---- which regions stand in the column ---- */

static void count_users(struct graph *g)
{
    const struct system *sys = g->sys;
    for (size_t i = 0; i < sys->npds; i++) {
        for (size_t k = 0; k < sys->pds[i]->nmaps; k++) {
            struct region_node *r = &g->regions[sys->pds[i]->maps[k].mr - sys->mrs];
            if (r->last_user != i + 1)
                r->users++;
            r->last_user = i + 1;
        }
    }
}

/* A region only one PD maps is a line in that PD's box instead. */
static bool in_column(const struct graph *g, const struct mr *mr)
{
    return g->regions[mr - g->sys->mrs].users != 1;
}

static struct graph *graph_new(const struct system *sys)
{
    struct graph *g = xcalloc(1, sizeof(*g));
    g->sys = sys;
    g->nodes = xcalloc(sys->npds, sizeof(*g->nodes));
    g->regions = xcalloc(sys->nmrs, sizeof(*g->regions));
    for (size_t i = 0; i < sys->nmrs; i++)
        g->regions[i].index = i;
    count_users(g);
    return g;
}

/* ---- rows ---- */

/* Highest priority first; in a row, a subsystem's PDs next to each other
 * (those in none last), each group in document order. */
static int by_priority(const void *a, const void *b)
{
    const struct pd *x = *(struct pd *const *)a, *y = *(struct pd *const *)b;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->group != y->group) {
        if (!x->group || !y->group)
            return x->group ? -1 : 1;
        int by_name = strcmp(x->group, y->group);
        if (by_name)
            return by_name;
    }
    return (x->index > y->index) - (x->index < y->index);
}

static void place_rows(struct graph *g)
{
    size_t n = g->sys->npds;
    g->placed = xcalloc(n, sizeof(*g->placed));
    memcpy(g->placed, g->sys->pds, n * sizeof(*g->placed));
    qsort(g->placed, n, sizeof(*g->placed), by_priority);
    unsigned row = 0, in_row = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (g->placed[i]->priority != g->placed[i - 1]->priority ||
                      in_row == ROW_MAX_PDS)) {
            row++;
            in_row = 0;
        }
        g->nodes[g->placed[i]->index].row = row;
        in_row++;
    }
    g->nrows = row + 1;
    g->rows = xcalloc(g->nrows, sizeof(*g->rows));
}

/* ---- wires and links ---- */

static void add_stub(struct graph *g, struct stub *s, const struct pd *pd, bool top)
{
    struct pd_node *node = &g->nodes[pd->index];
    s->node = pd->index;
    s->row = node->row;
    s->slot = top ? node->ntop++ : node->nbottom++;
}

static void add_channel_wire(struct graph *g, const struct channel *ch)
{
    struct wire *w = &g->wires[g->nwires++];
    int caller = ch->end[1].pp; /* the caller's end becomes end[0] */
    w->kind = ch->end[0].pp || ch->end[1].pp ? WIRE_PPC : WIRE_NOTIFY;
    for (int k = 0; k < 2; k++) {
        const struct chan_end *end = &ch->end[k ^ caller];
        add_stub(g, &w->end[k], end->pd, true);
        w->label[k] = format("%u", end->id);
    }
}

static void collect_wires(struct graph *g)
{
    const struct system *sys = g->sys;
    g->wires = xcalloc(sys->nchannels + sys->npds, sizeof(*g->wires));
    for (size_t i = 0; i < sys->nchannels; i++)
        add_channel_wire(g, &sys->channels[i]);
    for (size_t i = 0; i < sys->npds; i++) {
        const struct pd *child = sys->pds[i];
        if (!child->parent)
            continue;
        struct wire *w = &g->wires[g->nwires++];
        w->kind = WIRE_CHILD;
        add_stub(g, &w->end[0], child->parent, true);
        add_stub(g, &w->end[1], child, true);
        w->label[0] = format("child %u", child->id_in_parent);
    }
}

static int by_span(const void *a, const void *b)
{
    const struct wire *x = *(struct wire *const *)a, *y = *(struct wire *const *)b;
    if (x->span != y->span)
        return x->span > y->span ? -1 : 1;
    return (x > y) - (x < y); /* document order */
}

/* The longest wires get the leftmost lanes: the short ones, nearest the
 * boxes, then cross few other lanes on their way. */
static void rank_buses(struct graph *g)
{
    struct wire **order = xcalloc(g->nwires, sizeof(*order));
    for (size_t i = 0; i < g->nwires; i++) {
        struct wire *w = &g->wires[i];
        unsigned a = w->end[0].row, b = w->end[1].row;
        w->span = a > b ? a - b : b - a;
        order[i] = w;
    }
    qsort(order, g->nwires, sizeof(*order), by_span);
    for (size_t i = 0; i < g->nwires; i++)
        order[i]->bus = i;
}

static void collect_links(struct graph *g)
{
    const struct system *sys = g->sys;
    size_t n = 0;
    for (size_t i = 0; i < sys->npds; i++)
        for (size_t k = 0; k < sys->pds[i]->nmaps; k++)
            n += in_column(g, sys->pds[i]->maps[k].mr);
    g->links = xcalloc(n, sizeof(*g->links));
    for (size_t i = 0; i < sys->npds; i++) {
        for (size_t k = 0; k < sys->pds[i]->nmaps; k++) {
            const struct map *m = &sys->pds[i]->maps[k];
            if (!in_column(g, m->mr))
                continue;
            struct link *l = &g->links[g->nlinks++];
            add_stub(g, &l->stub, sys->pds[i], false);
            l->region = (size_t)(m->mr - sys->mrs);
            l->perms = m->perms;
            g->regions[l->region].nlinks++;
        }
    }
}

/* ---- boxes ---- */

static void add_line(struct box *b, const char *text, const char *cls)
{
    b->lines[b->nlines++] = (struct text_line){ text, cls };
}

static const char *phys_text(const struct mr *mr)
{
    return format("phys %#llx", (unsigned long long)mr->paddr);
}

/* A region only this PD maps, as a line in its box. */
static void add_map_line(struct box *b, const struct map *m)
{
    const char *perms = perms_text(m->perms);
    if (m->mr->fixed)
        add_line(b, format("%s %s %s", m->mr->name, perms, phys_text(m->mr)), "dev");
    else
        add_line(b, format("%s %s", m->mr->name, perms), NULL);
}

static void pd_lines(const struct graph *g, const struct pd *pd, struct box *b)
{
    b->cls = pd->passive ? "pd passive" : "pd";
    b->lines = xcalloc(3 + pd->nirqs + pd->nmaps, sizeof(*b->lines));
    add_line(b, pd->name, "name");
    if (pd->group)
        add_line(b, format("<%s>", pd->group), "group");
    add_line(b, format("priority %u%s", pd->priority, pd->passive ? " passive" : ""), NULL);
    for (size_t i = 0; i < pd->nirqs; i++)
        add_line(b, format("irq %u id %u %s", pd->irqs[i].intid, pd->irqs[i].id,
                           pd->irqs[i].edge ? "edge" : "level"), "irq");
    for (size_t i = 0; i < pd->nmaps; i++)
        if (!in_column(g, pd->maps[i].mr))
            add_map_line(b, &pd->maps[i]);
}

static void region_lines(const struct mr *mr, struct box *b)
{
    b->cls = mr->fixed ? "mr device" : "mr";
    b->lines = xcalloc(2, sizeof(*b->lines));
    add_line(b, mr->name, "name");
    const char *size = format("size %#llx", (unsigned long long)mr->size);
    if (mr->fixed)
        add_line(b, format("%s %s", size, phys_text(mr)), "dev");
    else
        add_line(b, size, NULL);
}

/* Wide enough for its text and for its stubs to keep STUB_GAP apart. */
static void size_box(struct box *b, unsigned stubs)
{
    long widest = 0;
    for (size_t i = 0; i < b->nlines; i++)
        widest = max_long(widest, text_width(b->lines[i].text));
    b->w = max_long(max_long(MIN_BOX_W, widest + 2 * PAD), (long)(stubs + 1) * STUB_GAP);
    b->h = (long)b->nlines * LINE_H + 2 * PAD;
}

static void size_boxes(struct graph *g)
{
    for (size_t i = 0; i < g->sys->npds; i++) {
        struct pd_node *node = &g->nodes[i];
        pd_lines(g, g->sys->pds[i], &node->box);
        size_box(&node->box, node->ntop > node->nbottom ? node->ntop : node->nbottom);
    }
    for (size_t i = 0; i < g->sys->nmrs; i++) {
        region_lines(&g->sys->mrs[i], &g->regions[i].box);
        size_box(&g->regions[i].box, 0);
    }
}

/* ---- horizontal places ---- */

static void place_boxes_across(struct graph *g)
{
    g->pd_left = MARGIN + (long)g->nwires * LANE + LABEL_ROOM;
    long x = g->pd_left;
    for (size_t i = 0; i < g->sys->npds; i++) {
        struct pd_node *node = &g->nodes[g->placed[i]->index];
        if (i > 0 && node->row != g->nodes[g->placed[i - 1]->index].row)
            x = g->pd_left;
        node->box.x = x;
        x += node->box.w + BOX_GAP;
        g->pd_right = max_long(g->pd_right, node->box.x + node->box.w);
        g->rows[node->row].h = max_long(g->rows[node->row].h, node->box.h);
    }
}

static void place_stub(const struct graph *g, struct stub *s, bool top)
{
    const struct pd_node *node = &g->nodes[s->node];
    long count = top ? node->ntop : node->nbottom;
    s->x = node->box.x + (long)(s->slot + 1) * node->box.w / (count + 1);
}

/* ---- lanes ---- */

/* Stubs of one row never share an x, so these orders are total. */
static int row_then_x(const struct stub *a, const struct stub *b, int sign)
{
    if (a->row != b->row)
        return a->row < b->row ? -1 : 1;
    return sign * ((a->x > b->x) - (a->x < b->x));
}

static int top_stub_order(const void *a, const void *b)
{
    return row_then_x(*(struct stub *const *)a, *(struct stub *const *)b, 1);
}

static int bottom_stub_order(const void *a, const void *b)
{
    return row_then_x(*(struct stub *const *)a, *(struct stub *const *)b, -1);
}

/* Wires run left from their stubs and links right. Giving the lane nearest
 * the row to the stub furthest in that direction, and so on, keeps every
 * turned line clear of the other stubs of its gap. */
static void assign_lanes(struct graph *g, struct stub **stubs, size_t n, bool top)
{
    qsort(stubs, n, sizeof(*stubs), top ? top_stub_order : bottom_stub_order);
    for (size_t i = 0; i < n; i++) {
        struct row *r = &g->rows[stubs[i]->row];
        stubs[i]->lane = top ? r->top_lanes++ : r->bottom_lanes++;
    }
}

static void place_stubs(struct graph *g)
{
    struct stub **top = xcalloc(2 * g->nwires, sizeof(*top));
    for (size_t i = 0; i < g->nwires; i++) {
        for (int k = 0; k < 2; k++) {
            place_stub(g, &g->wires[i].end[k], true);
            top[2 * i + (size_t)k] = &g->wires[i].end[k];
        }
    }
    assign_lanes(g, top, 2 * g->nwires, true);
    struct stub **bottom = xcalloc(g->nlinks, sizeof(*bottom));
    for (size_t i = 0; i < g->nlinks; i++) {
        place_stub(g, &g->links[i].stub, false);
        bottom[i] = &g->links[i].stub;
    }
    assign_lanes(g, bottom, g->nlinks, false);
}

static long lane_y(const struct graph *g, const struct stub *s, bool top)
{
    const struct row *r = &g->rows[s->row];
    if (top)
        return r->y - ROW_PAD - (long)s->lane * LANE;
    return r->y + r->h + ROW_PAD + (long)s->lane * LANE;
}

/* ---- vertical places ---- */

static void place_rows_down(struct graph *g)
{
    long y = MARGIN + TITLE_H;
    for (unsigned i = 0; i < g->nrows; i++) {
        struct row *r = &g->rows[i];
        y += (long)r->top_lanes * LANE + ROW_PAD;
        r->y = y;
        y += r->h + ROW_PAD + (long)r->bottom_lanes * LANE + GUTTER_MID;
    }
    g->pd_bottom = y;
    for (size_t i = 0; i < g->sys->npds; i++)
        g->nodes[i].box.y = g->rows[g->nodes[i].row].y;
}

/* ---- the region column ---- */

static int by_first_row(const void *a, const void *b)
{
    const struct region_node *x = *(struct region_node *const *)a;
    const struct region_node *y = *(struct region_node *const *)b;
    if (x->first_row != y->first_row)
        return x->first_row < y->first_row ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

/* Regions used high up stand high up, so that buses stay short. */
static void order_column(struct graph *g)
{
    g->column = xcalloc(g->sys->nmrs, sizeof(*g->column));
    for (size_t i = 0; i < g->sys->nmrs; i++) {
        g->regions[i].first_row = g->nrows;
        if (g->regions[i].users != 1)
            g->column[g->ncolumn++] = &g->regions[i];
    }
    for (size_t i = 0; i < g->nlinks; i++) {
        struct region_node *r = &g->regions[g->links[i].region];
        if (g->links[i].stub.row < r->first_row)
            r->first_row = g->links[i].stub.row;
    }
    qsort(g->column, g->ncolumn, sizeof(*g->column), by_first_row);
}

static void place_column(struct graph *g)
{
    long bus_left = g->pd_right + LABEL_ROOM;
    long x = bus_left + (long)g->ncolumn * LANE + LABEL_ROOM / 2;
    long y = MARGIN + TITLE_H + ROW_PAD;
    g->width = g->pd_right + MARGIN;
    for (size_t k = 0; k < g->ncolumn; k++) {
        struct region_node *r = g->column[k];
        if (r->first_row < g->nrows)
            y = max_long(y, g->rows[r->first_row].y);
        r->colour = colours[k % NCOLOURS];
        r->bus_x = bus_left + (long)k * LANE;
        r->box.x = x;
        r->box.y = y;
        r->bus_top = r->bus_bottom = y + r->box.h / 2;
        y += r->box.h + REGION_GAP;
        g->width = max_long(g->width, x + r->box.w + MARGIN);
    }
    g->legend_y = max_long(g->pd_bottom, y) + LEGEND_LINE_H;
    for (size_t i = 0; i < g->nlinks; i++) {
        struct region_node *r = &g->regions[g->links[i].region];
        long ly = lane_y(g, &g->links[i].stub, false);
        r->bus_top = min_long(r->bus_top, ly);
        r->bus_bottom = max_long(r->bus_bottom, ly);
    }
}

/* ---- the legend ---- */

struct legend_item {
    bool line;          /* a line sample, else a box sample */
    const char *cls;
    const char *colour; /* of a line */
    const char *marker; /* of a line, or "" */
    const char *label;
};

static const struct legend_item legend[] = {
    { false, "pd", NULL, "", "PD" },
    { false, "pd passive", NULL, "", "passive PD" },
    { false, "mr", NULL, "", "region mapped by several PDs" },
    { false, "mr device", NULL, "", "region with phys_addr" },
    { true, "wire", FIRST_COLOUR, "", "channel" },
    { true, "wire", FIRST_COLOUR, " marker-end=\"url(#arrow0)\"", "PPC, arrow at the callee" },
    { true, "wire child", CHILD_COLOUR, "", "parent to child PD" },
};

static const char legend_note[] =
    "Small numbers: channel ids, a parent's child id; letters: map perms. "
    "A link joins a region's bus at a dot. <net>, <timer>...: the subsystem "
    "element a PD belongs to; its members stand together in their rows.";

#define NLEGEND (sizeof(legend) / sizeof(legend[0]))

static long legend_item_width(const struct legend_item *item)
{
    return SWATCH_W + PAD + text_width(item->label) + 3 * PAD;
}

static void finish_size(struct graph *g)
{
    long rows[2] = { 0, 0 };
    for (size_t i = 0; i < NLEGEND; i++)
        rows[legend[i].line] += legend_item_width(&legend[i]);
    long widest = max_long(max_long(rows[0], rows[1]), text_width(legend_note));
    g->width = max_long(g->width, 2 * MARGIN + widest);
    g->height = g->legend_y + 3 * LEGEND_LINE_H + MARGIN;
}

/* ---- output ---- */

static void emit_text(FILE *f, long x, long y, const char *cls, const char *colour,
                      const char *text)
{
    fprintf(f, "<text x=\"%ld\" y=\"%ld\"", x, y);
    if (cls)
        fprintf(f, " class=\"%s\"", cls);
    if (colour)
        fprintf(f, " style=\"fill:%s\"", colour);
    fputc('>', f);
    put_xml_text(f, text);
    fputs("</text>\n", f);
}

static void emit_box(FILE *f, const struct box *b)
{
    fprintf(f, "<rect class=\"%s\" x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%ld\" rx=\"4\"/>\n",
            b->cls, b->x, b->y, b->w, b->h);
    for (size_t i = 0; i < b->nlines; i++)
        emit_text(f, b->x + PAD, b->y + PAD + (long)(i + 1) * LINE_H - 4, b->lines[i].cls,
                  NULL, b->lines[i].text);
}

static void emit_header(FILE *f, const struct graph *g)
{
    const char *slash = strrchr(g->sys->path, '/');
    const char *title = slash ? slash + 1 : g->sys->path;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%ld\" height=\"%ld\" "
               "viewBox=\"0 0 %ld %ld\">\n<title>", g->width, g->height, g->width, g->height);
    put_xml_text(f, title);
    fputs("</title>\n", f);
    fputs(style, f);
    fputs("<defs>\n", f);
    for (size_t i = 0; i < NCOLOURS; i++)
        fprintf(f, "<marker id=\"arrow%zu\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" "
                   "markerWidth=\"8\" markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" "
                   "orient=\"auto\"><path d=\"M0,0L8,4L0,8z\" fill=\"%s\"/></marker>\n",
                i, colours[i]);
    fputs("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", f);
    emit_text(f, MARGIN, MARGIN + LINE_H, "name", NULL, title);
}

/* From end[0]'s box up into its lane, left to the wire's own vertical lane,
 * then back to end[1]'s box: a PPC's arrow points into the callee. */
static void emit_wire(FILE *f, const struct graph *g, const struct wire *w)
{
    const char *colour = w->kind == WIRE_CHILD ? CHILD_COLOUR : colours[w->bus % NCOLOURS];
    long bus = MARGIN + (long)w->bus * LANE, lane[2], top[2];
    for (int k = 0; k < 2; k++) {
        lane[k] = lane_y(g, &w->end[k], true);
        top[k] = g->nodes[w->end[k].node].box.y;
    }
    fprintf(f, "<polyline class=\"wire%s\" stroke=\"%s\"", w->kind == WIRE_CHILD ? " child" : "",
            colour);
    if (w->kind == WIRE_PPC)
        fprintf(f, " marker-end=\"url(#arrow%zu)\"", w->bus % NCOLOURS);
    fprintf(f, " points=\"%ld,%ld %ld,%ld %ld,%ld %ld,%ld %ld,%ld %ld,%ld\"/>\n",
            w->end[0].x, top[0], w->end[0].x, lane[0], bus, lane[0], bus, lane[1],
            w->end[1].x, lane[1], w->end[1].x, top[1]);
    for (int k = 0; k < 2; k++)
        if (w->label[k])
            emit_text(f, w->end[k].x - 3, lane[k] - 2, "small end", colour, w->label[k]);
}

static void emit_dot(FILE *f, long x, long y, const char *colour)
{
    fprintf(f, "<circle cx=\"%ld\" cy=\"%ld\" r=\"2.5\" fill=\"%s\"/>\n", x, y, colour);
}

static void emit_bus(FILE *f, const struct region_node *r)
{
    if (!r->nlinks)
        return;
    long entry = r->box.y + r->box.h / 2;
    fprintf(f, "<path class=\"wire\" stroke=\"%s\" d=\"M%ld,%ldV%ldM%ld,%ldH%ld\"/>\n", r->colour,
            r->bus_x, r->bus_top, r->bus_bottom, r->bus_x, entry, r->box.x);
    emit_dot(f, r->bus_x, entry, r->colour);
}

/* Down from the PD's box into its lane, then right to the region's bus. */
static void emit_link(FILE *f, const struct graph *g, const struct link *l)
{
    const struct region_node *r = &g->regions[l->region];
    const struct box *b = &g->nodes[l->stub.node].box;
    long y = lane_y(g, &l->stub, false);
    fprintf(f, "<polyline class=\"wire\" stroke=\"%s\" points=\"%ld,%ld %ld,%ld %ld,%ld\"/>\n",
            r->colour, l->stub.x, b->y + b->h, l->stub.x, y, r->bus_x, y);
    emit_dot(f, r->bus_x, y, r->colour);
    emit_text(f, l->stub.x + 3, y - 2, "small", r->colour, perms_text(l->perms));
}

static void emit_legend_item(FILE *f, const struct legend_item *item, long x, long y)
{
    if (item->line)
        fprintf(f, "<polyline class=\"%s\" stroke=\"%s\"%s points=\"%ld,%ld %ld,%ld\"/>\n",
                item->cls, item->colour, item->marker, x, y - 4, x + SWATCH_W, y - 4);
    else
        fprintf(f, "<rect class=\"%s\" x=\"%ld\" y=\"%ld\" width=\"%d\" height=\"14\"/>\n",
                item->cls, x, y - 11, SWATCH_W);
    emit_text(f, x + SWATCH_W + PAD, y, NULL, NULL, item->label);
}

static void emit_legend(FILE *f, const struct graph *g)
{
    long x = MARGIN;
    for (size_t i = 0; i < NLEGEND; i++) {
        if (i > 0 && legend[i].line != legend[i - 1].line)
            x = MARGIN;
        emit_legend_item(f, &legend[i], x, g->legend_y + (long)legend[i].line * LEGEND_LINE_H);
        x += legend_item_width(&legend[i]);
    }
    emit_text(f, MARGIN, g->legend_y + 2 * LEGEND_LINE_H, NULL, NULL, legend_note);
}

/* Lines first, boxes over them: a line ends at a box's edge. */
static void emit_svg(FILE *f, const struct graph *g)
{
    emit_header(f, g);
    for (size_t i = 0; i < g->nwires; i++)
        emit_wire(f, g, &g->wires[i]);
    for (size_t i = 0; i < g->ncolumn; i++)
        emit_bus(f, g->column[i]);
    for (size_t i = 0; i < g->nlinks; i++)
        emit_link(f, g, &g->links[i]);
    for (size_t i = 0; i < g->sys->npds; i++)
        emit_box(f, &g->nodes[i].box);
    for (size_t i = 0; i < g->ncolumn; i++)
        emit_box(f, &g->column[i]->box);
    emit_legend(f, g);
    fputs("</svg>\n", f);
}

void graph_write(const struct system *sys, const char *path)
{
    struct graph *g = graph_new(sys);
    place_rows(g);
    collect_wires(g);
    rank_buses(g);
    collect_links(g);
    size_boxes(g);
    place_boxes_across(g);
    place_stubs(g);
    place_rows_down(g);
    order_column(g);
    place_column(g);
    finish_size(g);
    FILE *f = fopen(path, "w");
    if (!f)
        fail_path(path, "cannot write: %s", strerror(errno));
    emit_svg(f, g);
    bool ok = !ferror(f);
    if (fclose(f) != 0 || !ok) {
        remove(path);
        fail_path(path, "cannot write: %s", strerror(errno ? errno : EIO));
    }
}

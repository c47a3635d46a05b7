/*
 * The <stats> element (docs/tool.md): a statistics reader and the PDs it
 * asks (pride/stats.h). Lowered after every class, each of which noted
 * the PDs it gave a role that answers the query, and on which channel
 * (lower_note_stats). Lowers to a channel from the reader, which calls,
 * to each listed PD: STATS_READER_FIRST_CH + i at the reader for the
 * i-th, that PD's statistics channel at its end; and the reader's config
 * struct (pride/stats_reader.h).
 */
#include <string.h>

#include "tool.h"
#include "pride/stats_reader.h"

_Static_assert(STATS_READER_FIRST_CH + STATS_READER_MAX <= PRIDE_MAX_CHANNELS,
               "every reader's channel has an id");

struct listed {
    struct xml_node *pd;
    unsigned ch; /* the channel it answers statistics on */
};

/* Child c of <stats>, the n-th: a <pd name="..."/> within the limit. */
static const struct xml_attr *listed_name(const struct xml_node *c, unsigned n)
{
    static const char *const attrs[] = {"name", NULL};
    if (strcmp(c->name, "pd"))
        fail_at(c->line, "unknown element <%s> inside <stats>", c->name);
    check_attrs(c, attrs);
    no_children(c);
    if (n == STATS_READER_MAX)
        fail_at(c->line, "<stats> lists at most %d PDs", STATS_READER_MAX);
    return required(c, "name");
}

static struct listed parse_listed(struct lowering *L, const struct xml_node *c,
                                  const struct xml_node *reader, const struct listed *earlier,
                                  unsigned n)
{
    const struct xml_attr *name = listed_name(c, n);
    struct listed l = {lower_find_pd(L, name->value), 0};
    if (!l.pd)
        fail_at(name->line, "<stats> lists PD '%s', but there is no such protection domain",
                name->value);
    if (l.pd == reader)
        fail_at(name->line, "<stats> lists its reader '%s' among the PDs it asks", name->value);
    for (unsigned i = 0; i < n; i++)
        if (earlier[i].pd == l.pd)
            fail_at(name->line, "<stats> lists PD '%s' twice", name->value);
    if (!lower_stats_channel(L, l.pd, &l.ch))
        fail_at(name->line, "PD '%s' answers no statistics query: no subsystem element gives "
                "it a role that does", name->value);
    lower_check_above(L, c->line, l.pd, "listed PD", reader, "reader");
    return l;
}

void lower_stats(struct lowering *L, const struct xml_node *n)
{
    static const char *const attrs[] = {"reader", NULL};
    static struct listed listed[STATS_READER_MAX];
    unsigned count = 0;
    check_attrs(n, attrs);
    struct xml_node *reader = lower_pd(L, n, "reader", true);
    for (const struct xml_node *c = n->children; c; c = c->next) {
        struct listed l = parse_listed(L, c, reader, listed, count); /* fails past the last */
        listed[count++] = l;
    }
    if (!count)
        fail_at(n->line, "<stats> lists no <pd>");
    for (unsigned i = 0; i < count; i++)
        lower_channel(L, reader, STATS_READER_FIRST_CH + i, true, listed[i].pd, listed[i].ch);
    struct stats_reader_config config = {{STATS_READER_MAGIC, STATS_READER_CONFIG_VERSION}, count,
                                         STATS_READER_FIRST_CH};
    lower_config(L, reader, "stats_reader_config", &config, sizeof(config));
}

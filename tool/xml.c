/*
 * A deliberately small XML parser for .system files: elements, attributes,
 * comments, an optional <?xml ...?> declaration and the five standard
 * entities. Text content, DOCTYPEs, CDATA and everything else are rejected:
 * .system files never need them, and refusing them keeps the parser short.
 * Every node and attribute remembers its line for error messages.
 */
#include <string.h>

#include "tool.h"

#define MAX_DEPTH 64 /* .system files nest 4-5 levels; this bounds recursion */

struct parser {
    const char *text;
    size_t pos, len;
    int line;
    struct name_ref *attr_names; /* scratch for duplicate checks, grown by doubling */
    size_t attr_names_cap;
};

static _Noreturn void malformed(int line, const char *what)
{
    fail_at(line, "malformed XML: %s", what);
}

static char peek(const struct parser *p)
{
    return p->pos < p->len ? p->text[p->pos] : '\0';
}

static void advance(struct parser *p, size_t n)
{
    for (; n && p->pos < p->len; n--, p->pos++)
        if (p->text[p->pos] == '\n')
            p->line++;
}

static bool at(const struct parser *p, const char *lit)
{
    size_t n = strlen(lit);
    return p->len - p->pos >= n && !memcmp(p->text + p->pos, lit, n);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool skip_space(struct parser *p)
{
    size_t start = p->pos;
    while (is_space(peek(p)))
        advance(p, 1);
    return p->pos != start;
}

/* Skips from the current position past 'end'; 'what' names it on failure. */
static void skip_past(struct parser *p, const char *end, const char *what)
{
    int line = p->line;
    while (p->pos < p->len && !at(p, end))
        advance(p, 1);
    if (p->pos >= p->len)
        malformed(line, what);
    advance(p, strlen(end));
}

/* Whitespace and comments, which may appear between any two elements. */
static void skip_misc(struct parser *p)
{
    for (;;) {
        skip_space(p);
        if (!at(p, "<!--"))
            return;
        skip_past(p, "-->", "unterminated comment");
    }
}

static bool name_char(char c, bool first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':')
        return true;
    return !first && ((c >= '0' && c <= '9') || c == '-' || c == '.');
}

static char *parse_name(struct parser *p, const char *what)
{
    size_t start = p->pos;
    while (name_char(peek(p), p->pos == start))
        advance(p, 1);
    if (p->pos == start)
        malformed(p->line, what);
    char *name = xcalloc(p->pos - start + 1, 1);
    memcpy(name, p->text + start, p->pos - start);
    return name;
}

static char decode_entity(struct parser *p)
{
    static const struct { const char *name; char ch; } entities[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
        { "&quot;", '"' }, { "&apos;", '\'' },
    };
    for (size_t i = 0; i < sizeof(entities) / sizeof(entities[0]); i++) {
        if (at(p, entities[i].name)) {
            advance(p, strlen(entities[i].name));
            return entities[i].ch;
        }
    }
    malformed(p->line, "unknown entity in attribute value");
}

static char *parse_value(struct parser *p)
{
    char quote = peek(p);
    int line = p->line;
    if (quote != '"' && quote != '\'')
        malformed(line, "attribute value must be quoted");
    advance(p, 1);
    /* the decoded value is never longer than the raw text up to the quote */
    const char *end = memchr(p->text + p->pos, quote, p->len - p->pos);
    char *out = xcalloc((end ? (size_t)(end - p->text) : p->len) - p->pos + 1, 1);
    size_t n = 0;
    for (;;) {
        char c = peek(p);
        if (p->pos >= p->len)
            malformed(line, "unterminated attribute value");
        if (c == quote)
            break;
        if (c == '<' || c == '\0')
            malformed(p->line, "invalid character in attribute value");
        if (c == '&') {
            out[n++] = decode_entity(p);
        } else {
            out[n++] = c;
            advance(p, 1);
        }
    }
    advance(p, 1);
    return out;
}

/* By sorting, so that an element with very many attributes costs O(n log n). */
static void check_unique_attrs(struct parser *p, const struct xml_node *node, size_t n)
{
    if (n < 2)
        return;
    if (n > p->attr_names_cap) {
        p->attr_names_cap = n > 2 * p->attr_names_cap ? n : 2 * p->attr_names_cap;
        p->attr_names = xcalloc(p->attr_names_cap, sizeof(struct name_ref));
    }
    struct name_ref *refs = p->attr_names;
    size_t i = 0;
    for (const struct xml_attr *a = node->attrs; a; a = a->next, i++)
        refs[i] = (struct name_ref){ a->name, i, a->line };
    names_sort(refs, n);
    const struct name_ref *first;
    const struct name_ref *repeat = names_repeat(refs, n, &first);
    if (repeat)
        fail_at(repeat->line, "malformed XML: duplicate attribute '%s'", repeat->name);
}

static void parse_attrs(struct parser *p, struct xml_node *node)
{
    struct xml_attr **tail = &node->attrs;
    size_t n = 0;
    for (;; n++) {
        bool spaced = skip_space(p);
        char c = peek(p);
        if (c == '>' || c == '/' || p->pos >= p->len)
            break;
        if (!spaced)
            malformed(p->line, "expected whitespace between attributes");
        struct xml_attr *a = xcalloc(1, sizeof(*a));
        a->line = p->line;
        a->name = parse_name(p, "expected attribute name");
        skip_space(p);
        if (peek(p) != '=')
            malformed(p->line, "expected '=' after attribute name");
        advance(p, 1);
        skip_space(p);
        a->value = parse_value(p);
        *tail = a;
        tail = &a->next;
    }
    check_unique_attrs(p, node, n);
}

static struct xml_node *parse_element(struct parser *p, int depth);

/* Children up to and including the matching end tag. */
static void parse_content(struct parser *p, struct xml_node *node, int depth)
{
    struct xml_node **tail = &node->children;
    for (;;) {
        skip_misc(p);
        if (p->pos >= p->len)
            fail_at(node->line, "malformed XML: <%s> is never closed", node->name);
        if (at(p, "</"))
            break;
        if (peek(p) != '<')
            malformed(p->line, "text content is not allowed");
        *tail = parse_element(p, depth + 1);
        tail = &(*tail)->next;
    }
    int line = p->line;
    advance(p, 2);
    char *close = parse_name(p, "expected name in closing tag");
    if (strcmp(close, node->name))
        fail_at(line, "malformed XML: </%s> does not match <%s> on line %d",
                close, node->name, node->line);
    skip_space(p);
    if (peek(p) != '>')
        malformed(p->line, "expected '>' to end closing tag");
    advance(p, 1);
}

static struct xml_node *parse_element(struct parser *p, int depth)
{
    if (depth > MAX_DEPTH)
        malformed(p->line, "elements nested too deeply");
    struct xml_node *node = xcalloc(1, sizeof(*node));
    node->line = p->line;
    advance(p, 1); /* '<' */
    node->name = parse_name(p, "expected element name after '<'");
    parse_attrs(p, node);
    if (at(p, "/>")) {
        advance(p, 2);
    } else if (peek(p) == '>') {
        advance(p, 1);
        parse_content(p, node, depth);
    } else {
        fail_at(node->line, "malformed XML: unterminated tag <%s>", node->name);
    }
    return node;
}

struct xml_node *xml_parse(const char *text, size_t len)
{
    struct parser p = { .text = text, .len = len, .line = 1 };
    if (at(&p, "\xEF\xBB\xBF")) /* UTF-8 byte order mark */
        advance(&p, 3);
    if (at(&p, "<?xml"))
        skip_past(&p, "?>", "unterminated XML declaration");
    skip_misc(&p);
    if (p.pos >= p.len)
        malformed(p.line, "no root element");
    if (peek(&p) != '<')
        malformed(p.line, "text content is not allowed");
    struct xml_node *root = parse_element(&p, 0);
    skip_misc(&p);
    if (p.pos < p.len)
        malformed(p.line, "unexpected content after the root element");
    return root;
}

/* ---- writing ---- */

static void write_element(FILE *f, const struct xml_node *n, int depth)
{
    fprintf(f, "%*s<%s", 4 * depth, "", n->name);
    for (const struct xml_attr *a = n->attrs; a; a = a->next) {
        fprintf(f, " %s=\"", a->name);
        put_xml_text(f, a->value);
        fputc('"', f);
    }
    if (!n->children) {
        fputs(" />\n", f);
        return;
    }
    fputs(">\n", f);
    for (const struct xml_node *c = n->children; c; c = c->next)
        write_element(f, c, depth + 1);
    fprintf(f, "%*s</%s>\n", 4 * depth, "", n->name);
}

void xml_write(FILE *f, const struct xml_node *root)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    write_element(f, root, 0);
}

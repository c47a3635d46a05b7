/* HTTP/1.1 responses (http.h): validators, conditional requests, the
 * response head, error pages and directory-listing lines. */
#include "http.h"
#include "writer.h"

/* name percent-encoded but for RFC 3986's unreserved characters and '/'
 * (a path's separators; a name has none). */
static void put_encoded(struct writer *w, const char *name)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~' ||
                     *p == '/';
        char esc[3] = {'%', "0123456789ABCDEF"[*p >> 4], "0123456789ABCDEF"[*p & 15]};
        put(w, plain ? (const char *)p : esc, plain ? 1 : 3);
    }
}

/* ---- validators and conditions ---- */

void http_etag(uint64_t size, uint64_t mtime, char out[HTTP_ETAG_BYTES])
{
    struct writer w = {out, 0, HTTP_ETAG_BYTES - 1, false};
    put_lit(&w, "\"");
    put_number(&w, size, 16);
    put_lit(&w, "-");
    put_number(&w, mtime, 16);
    put_lit(&w, "\"");
    out[finish(&w)] = 0;
}

/* Is the entity-tag list (comma-separated, W/ prefixes allowed: the weak
 * comparison RFC 9110 asks for here) holding etag, or "*"? */
static bool list_names(const char *list, const char *etag)
{
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (p[0] == '*' && (!p[1] || p[1] == ',' || p[1] == ' '))
            return true;
        if (p[0] == 'W' && p[1] == '/')
            p += 2;
        size_t i = 0;
        while (etag[i] && p[i] == etag[i])
            i++;
        if (!etag[i] && (!p[i] || p[i] == ',' || p[i] == ' ' || p[i] == '\t'))
            return true;
        while (*p && *p != ',')
            p++;
    }
    return false;
}

bool http_not_modified(const struct http_request *r, const char *etag, uint64_t mtime)
{
    if (r->if_none_match[0])
        return list_names(r->if_none_match, etag); /* If-Modified-Since is then ignored */
    return r->has_if_modified_since && mtime <= r->if_modified_since;
}

const char *http_reason(unsigned code)
{
    static const struct {
        unsigned code;
        const char *text;
    } reasons[] = {
        {200, "OK"}, {201, "Created"}, {204, "No Content"}, {206, "Partial Content"},
        {301, "Moved Permanently"}, {304, "Not Modified"}, {400, "Bad Request"},
        {403, "Forbidden"}, {404, "Not Found"}, {405, "Method Not Allowed"},
        {408, "Request Timeout"}, {411, "Length Required"}, {413, "Content Too Large"},
        {414, "URI Too Long"}, {416, "Range Not Satisfiable"}, {417, "Expectation Failed"},
        {431, "Request Header Fields Too Large"}, {500, "Internal Server Error"},
        {501, "Not Implemented"}, {503, "Service Unavailable"},
        {505, "HTTP Version Not Supported"}, {507, "Insufficient Storage"},
    };
    for (unsigned i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].code == code)
            return reasons[i].text;
    return "";
}

/* ---- the head ---- */

/* "Name: value\r\n", the value put by put_value: the name is a literal and
 * its ": " goes with it in one copy. */
#define field_of(w, name, put_value)                                                            \
    do {                                                                                        \
        put_lit(w, name ": ");                                                                  \
        put_value;                                                                              \
        put_lit(w, "\r\n");                                                                     \
    } while (0)

/* An HTTP date (its fixed length copied whole). A head's dates are
 * nearly always the current second and a file's mtime that the last head
 * had too, so the last two are kept formatted: a date costs about 190
 * instructions to format and about 15 to find here. */
static void put_date(struct writer *w, uint64_t t)
{
    static struct {
        bool set;
        uint64_t t;
        char text[HTTP_DATE_BYTES];
    } recent[2];
    static unsigned older; /* the one a new date replaces */
    unsigned i = recent[0].set && recent[0].t == t ? 0 : recent[1].set && recent[1].t == t ? 1 : 2;
    if (i == 2) {
        i = older;
        recent[i].set = true, recent[i].t = t;
        http_format_date(t, recent[i].text);
    }
    older = !i;
    put_known(w, recent[i].text, HTTP_DATE_BYTES - 1);
}

/* Content-Range: "bytes first-last/total", or "bytes * /total" (416). */
static void content_range(struct writer *w, const struct http_response *r)
{
    put_lit(w, "Content-Range: bytes ");
    if (r->ranged) {
        put_number(w, r->range_first, 10);
        put_lit(w, "-");
        put_number(w, r->range_first + r->range_count - 1, 10);
    } else {
        put_lit(w, "*");
    }
    put_lit(w, "/");
    put_number(w, r->total, 10);
    put_lit(w, "\r\n");
}

/* The status line, Date and Server: the constant text between them
 * merged into literals. */
static void status_line(struct writer *w, const struct http_response *r)
{
    put_lit(w, "HTTP/1.1 ");
    put_number(w, r->code, 10);
    put_lit(w, " ");
    put_str(w, http_reason(r->code));
    put_lit(w, "\r\nDate: ");
    put_date(w, r->now);
    put_lit(w, "\r\nServer: Pride\r\n");
}

/* What the body is: its type, length, validators and range. */
static void entity_fields(struct writer *w, const struct http_response *r)
{
    if (r->content_type)
        field_of(w, "Content-Type", put_str(w, r->content_type));
    if (r->has_length)
        field_of(w, "Content-Length", put_number(w, r->length, 10));
    if (r->has_mtime)
        field_of(w, "Last-Modified", put_date(w, r->mtime));
    if (r->etag)
        field_of(w, "ETag", put_str(w, r->etag));
    if (r->ranged || r->unsatisfiable)
        content_range(w, r);
}

size_t http_format_head(const struct http_response *r, char *out, size_t cap)
{
    struct writer w = {out, 0, cap, false};
    status_line(&w, r);
    entity_fields(&w, r);
    if (r->code == 200 || r->code == 206)
        put_lit(&w, "Accept-Ranges: bytes\r\n");
    if (r->allow)
        field_of(&w, "Allow", put_str(&w, r->allow));
    if (r->location)
        field_of(&w, "Location", put_encoded(&w, r->location));
    if (r->keep_alive)
        put_lit(&w, "Connection: keep-alive\r\n\r\n");
    else
        put_lit(&w, "Connection: close\r\n\r\n");
    return finish(&w);
}

/* ---- bodies ---- */

size_t http_error_page(unsigned code, char *out, size_t cap)
{
    struct writer w = {out, 0, cap, false};
    put_lit(&w, "<!DOCTYPE html>\n<html><head><title>");
    put_number(&w, code, 10);
    put_lit(&w, " ");
    put_str(&w, http_reason(code));
    put_lit(&w, "</title></head><body><h1>");
    put_number(&w, code, 10);
    put_lit(&w, " ");
    put_str(&w, http_reason(code));
    put_lit(&w, "</h1></body></html>\n");
    return finish(&w);
}

/* name with the five characters HTML gives meaning to as references. */
static void put_escaped(struct writer *w, const char *name)
{
    for (const char *p = name; *p; p++) {
        const char *ref = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                        : *p == '"' ? "&quot;" : *p == '\'' ? "&#39;" : NULL;
        if (ref)
            put_str(w, ref);
        else
            put(w, p, 1);
    }
}

size_t http_listing_line(const char *name, bool dir, uint64_t size, char *out, size_t cap)
{
    struct writer w = {out, 0, cap, false};
    put_lit(&w, "<li><a href=\"");
    put_encoded(&w, name);
    put_str(&w, dir ? "/\">" : "\">");
    put_escaped(&w, name);
    put_str(&w, dir ? "/</a></li>\n" : "</a> ");
    if (!dir) {
        put_number(&w, size, 10);
        put_lit(&w, " bytes</li>\n");
    }
    return finish(&w);
}

size_t http_listing_start(const char *dir, char *out, size_t cap)
{
    struct writer w = {out, 0, cap, false};
    bool root = !dir[0] || !dir[1];
    for (int twice = 0; twice < 2; twice++) {
        put_str(&w, twice ? "</title></head>\n<body><h1>Index of " :
                            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of ");
        put_escaped(&w, root ? "" : dir);
        put_lit(&w, "/");
    }
    put_str(&w, root ? "</h1>\n<ul>\n" : "</h1>\n<ul>\n<li><a href=\"../\">../</a></li>\n");
    return finish(&w);
}

size_t http_listing_end(uint64_t omitted, char *out, size_t cap)
{
    struct writer w = {out, 0, cap, false};
    put_lit(&w, "</ul>\n");
    if (omitted) {
        put_lit(&w, "<p>");
        put_number(&w, omitted, 10);
        put_lit(&w, " more not shown</p>\n");
    }
    put_lit(&w, "</body></html>\n");
    return finish(&w);
}

/* A web server's status pages (status_page.h): HTML and JSON from the
 * same figures, each through lib/http's bounded writer. */
#include "status_page.h"
#include "writer.h"

void http_count_response(struct http_counters *c, unsigned code)
{
    if (code < HTTP_CODE_LIMIT)
        c->responses[code]++;
}

uint64_t http_responses(const struct http_counters *c)
{
    uint64_t total = 0;
    for (unsigned code = 0; code < HTTP_CODE_LIMIT; code++)
        total += c->responses[code];
    return total;
}

/* A PD's name as it claims it, with '?' for anything a page could take
 * for markup or a string's end. */
static void put_name(struct writer *w, const char *name)
{
    for (const char *p = name; *p; p++)
        put(w, pride_stats_name_char_safe(*p) ? p : "?", 1);
}

/* The uptime in seconds with tenths: "12.3". */
static void put_seconds(struct writer *w, uint64_t ns)
{
    put_number(w, ns / 1000000000u, 10);
    put(w, ".", 1);
    put_number(w, ns / 100000000u % 10, 10);
}

/* ---- HTML ---- */

static const char html_head[] =
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
    "<meta http-equiv=\"refresh\" content=\"" STATUS_PAGE_REFRESH "\"><title>Pride status</title>\n"
    "<style>body{font-family:sans-serif;margin:2em;background:#fff;color:#222}"
    "table{border-collapse:collapse;margin-bottom:1.5em}"
    "th,td{border:1px solid #888;padding:.2em .7em;text-align:right}"
    "th{background:#dde4f0}td:first-child{text-align:left}</style></head>\n"
    "<body><h1>Pride status</h1>\n";

/* "<td>n</td>" */
static void put_cell(struct writer *w, uint64_t n)
{
    put_str(w, "<td>");
    put_number(w, n, 10);
    put_str(w, "</td>");
}

static void html_summary(struct writer *w, const struct status_page *s)
{
    put_str(w, "<p>Up <span id=\"uptime\">");
    put_seconds(w, s->uptime_ns);
    put_str(w, "</span> s. <span id=\"requests\">");
    put_number(w, http_responses(s->counters), 10);
    put_str(w, "</span> responses, <span id=\"bytes\">");
    put_number(w, s->counters->bytes_sent, 10);
    put_str(w, "</span> bytes sent.</p>\n");
}

static void html_responses(struct writer *w, const struct http_counters *c)
{
    put_str(w, "<h2>Responses</h2>\n<table><tr><th>status</th><th>count</th></tr>\n");
    for (unsigned code = 0; code < HTTP_CODE_LIMIT; code++)
        if (c->responses[code]) {
            put_str(w, "<tr><td>");
            put_number(w, code, 10);
            put_str(w, "</td>");
            put_cell(w, c->responses[code]);
            put_str(w, "</tr>\n");
        }
    put_str(w, "</table>\n");
}

static void html_pd_row(struct writer *w, const struct status_pd *pd, unsigned index)
{
    put_str(w, "<tr><td>");
    if (!pd->answered) {
        put_str(w, "listed PD ");
        put_number(w, index, 10);
        put_str(w, "</td><td colspan=\"5\">did not answer</td></tr>\n");
        return;
    }
    put_name(w, pd->name);
    put_str(w, "</td><td>");
    put_str(w, pride_stats_unit_name(pd->stats.unit));
    put_str(w, "</td>");
    put_cell(w, pd->stats.passed);
#define HTML_PROBLEM(counter) put_cell(w, pd->stats.counter);
    PRIDE_STATS_PROBLEMS(HTML_PROBLEM)
#undef HTML_PROBLEM
    put_str(w, "</tr>\n");
}

static void html_pds(struct writer *w, const struct status_page *s)
{
    put_str(w, "<h2>Protection domains</h2>\n<table><tr><th>PD</th><th>unit</th><th>passed</th>");
#define HTML_PROBLEM_TITLE(counter) put_str(w, "<th>" #counter "</th>");
    PRIDE_STATS_PROBLEMS(HTML_PROBLEM_TITLE)
#undef HTML_PROBLEM_TITLE
    put_str(w, "</tr>\n");
    for (unsigned i = 0; i < s->pd_count && i < STATS_READER_MAX; i++)
        html_pd_row(w, &s->pds[i], i);
    put_str(w, "</table>\n");
}

size_t status_page_html(const struct status_page *s, char *out, size_t cap)
{
    struct writer w = {out, 0, cap, false};
    put_str(&w, html_head);
    html_summary(&w, s);
    html_responses(&w, s->counters);
    html_pds(&w, s);
    put_str(&w, "</body></html>\n");
    return finish(&w);
}

/* ---- JSON ---- */

/* "key":n */
static void json_number(struct writer *w, const char *key, uint64_t n)
{
    put_str(w, "\"");
    put_str(w, key);
    put_str(w, "\":");
    put_number(w, n, 10);
}

static void json_responses(struct writer *w, const struct http_counters *c)
{
    put_str(w, "\"responses\":{");
    bool first = true;
    for (unsigned code = 0; code < HTTP_CODE_LIMIT; code++)
        if (c->responses[code]) {
            put_str(w, first ? "\"" : ",\"");
            put_number(w, code, 10);
            put_str(w, "\":");
            put_number(w, c->responses[code], 10);
            first = false;
        }
    put_str(w, "}");
}

static void json_pd(struct writer *w, const struct status_pd *pd)
{
    if (!pd->answered) {
        put_str(w, "{\"answered\":false}");
        return;
    }
    put_str(w, "{\"answered\":true,\"name\":\"");
    put_name(w, pd->name);
    put_str(w, "\",\"unit\":\"");
    put_str(w, pride_stats_unit_name(pd->stats.unit));
    put_str(w, "\",");
    json_number(w, "passed", pd->stats.passed);
#define JSON_PROBLEM(counter) put_str(w, ","), json_number(w, #counter, pd->stats.counter);
    PRIDE_STATS_PROBLEMS(JSON_PROBLEM)
#undef JSON_PROBLEM
    put_str(w, "}");
}

size_t status_page_json(const struct status_page *s, char *out, size_t cap)
{
    struct writer w = {out, 0, cap, false};
    put_str(&w, "{");
    json_number(&w, "uptime_ms", s->uptime_ns / 1000000u);
    put_str(&w, ",");
    json_number(&w, "requests", http_responses(s->counters));
    put_str(&w, ",");
    json_number(&w, "bytes_sent", s->counters->bytes_sent);
    put_str(&w, ",");
    json_responses(&w, s->counters);
    put_str(&w, ",\"pds\":[");
    for (unsigned i = 0; i < s->pd_count && i < STATS_READER_MAX; i++) {
        if (i)
            put_str(&w, ",");
        json_pd(&w, &s->pds[i]);
    }
    put_str(&w, "]}\n");
    return finish(&w);
}

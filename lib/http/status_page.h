/*
 * A web server's live status as two pages: HTML that refreshes itself
 * (/status) and JSON (/status.json). They show the uptime, the server's
 * own counters (responses by status code, bytes sent) and the statistics
 * record of each PD its <stats> element lists (pride/stats.h), which the
 * server gathers before rendering: this file only renders. Plain C11, so
 * the host tests it (tests/http).
 *
 * In the HTML, the figures a script or a test reads have ids: "uptime"
 * (seconds), "requests" (responses so far) and "bytes" (bytes sent).
 */
#ifndef HTTP_STATUS_PAGE_H
#define HTTP_STATUS_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pride/stats_reader.h>
#include <pride/stats_record.h>

#define HTTP_CODE_LIMIT 600 /* status codes are three digits, 100..599 */
#define STATUS_PAGE_REFRESH "2" /* seconds between the HTML page's reloads */

/* What a server counts of its own answers. */
struct http_counters {
    uint64_t responses[HTTP_CODE_LIMIT]; /* by status code */
    uint64_t bytes_sent;                 /* heads and bodies */
};

/* One more response with code (one out of range is not counted). */
void http_count_response(struct http_counters *c, unsigned code);

/* The responses of every code. */
uint64_t http_responses(const struct http_counters *c);

/* One listed PD: its answer, or answered false. */
struct status_pd {
    bool answered;
    char name[PRIDE_STATS_NAME_SIZE];
    struct pride_stats stats;
};

struct status_page {
    uint64_t uptime_ns;
    const struct http_counters *counters;
    unsigned pd_count; /* at most STATS_READER_MAX */
    struct status_pd pds[STATS_READER_MAX];
};

/* The page into out[0..cap); its length, 0 if it does not fit. */
size_t status_page_html(const struct status_page *s, char *out, size_t cap);
size_t status_page_json(const struct status_page *s, char *out, size_t cap);

#endif

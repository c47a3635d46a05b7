/*
 * Unit tests for the HTTP request parser (lib/http), built with ASan and
 * UBSan: the request line, the target's decoding and normalisation (every
 * way of climbing out of the served directory refused), each limit and
 * its status, the fields the server acts on, ranges, dates (every day
 * from 1970 to 9999 against a day-by-day reference calendar) and media
 * types; then 300,000 mutated and random heads: the parser never reads or
 * writes out of bounds, and every path it accepts is rooted, normalised
 * and free of controls and backslashes. The response side: validators,
 * conditional requests (304), heads byte for byte (206, 416, 405),
 * error pages, and listing lines that escape what a hostile file name
 * holds, none writing past the room it is given.
 *
 * Prints one "PASS: http_<case>" or "FAIL: http_<case>: why" line per
 * case; exits non-zero if any case failed.
 */
#include "../../lib/http/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEST_PREFIX "http_"
#include "../queue/check.h"

static struct http_request req;
static size_t head;
static unsigned status;

/* Parses text (exactly its bytes, in a heap block of that size, so ASan
 * sees any read past it). */
static enum http_parse parse_n(const char *text, size_t n)
{
    char *copy = malloc(n ? n : 1);
    memcpy(copy, text, n);
    enum http_parse p = http_parse_request(copy, n, &req, &head, &status);
    free(copy);
    return p;
}

static enum http_parse parse(const char *text)
{
    return parse_n(text, strlen(text));
}

/* The path a GET of target gives, or "" if refused (status kept). */
static const char *path_of(const char *target)
{
    static char text[4096];
    snprintf(text, sizeof(text), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", target);
    return parse(text) == HTTP_COMPLETE ? req.path : "";
}

static void test_simple_requests(void)
{
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTP_COMPLETE);
    CHECK(req.method == HTTP_GET && req.minor == 1 && req.keep_alive && !strcmp(req.path, "/"));
    CHECK(head == strlen("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    CHECK(parse("HEAD /a.txt HTTP/1.0\r\n\r\n") == HTTP_COMPLETE && req.method == HTTP_HEAD);
    CHECK(!req.keep_alive && req.minor == 0); /* 1.0: close unless asked */
    CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") == HTTP_COMPLETE && req.keep_alive);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n") == HTTP_COMPLETE &&
          !req.keep_alive);
    CHECK(parse("PUT /upload/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello") ==
              HTTP_COMPLETE &&
          req.method == HTTP_PUT && req.has_length && req.content_length == 5 &&
          head == strlen("PUT /upload/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n"));
    CHECK(parse("DELETE / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTP_COMPLETE && req.method == HTTP_OTHER);
    CHECK(parse("get / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTP_COMPLETE && req.method == HTTP_OTHER);
    CHECK(parse("\r\n\r\nGET / HTTP/1.1\nHost: a\n\n") == HTTP_COMPLETE); /* bare LFs, leading lines */
}

static void test_incomplete_and_pipelined(void)
{
    CHECK(parse("") == HTTP_INCOMPLETE);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\n") == HTTP_INCOMPLETE);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\n\r") == HTTP_INCOMPLETE);
    const char *two = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
    CHECK(parse(two) == HTTP_COMPLETE && !strcmp(req.path, "/1"));
    size_t first = head;
    CHECK(parse(two + first) == HTTP_COMPLETE && !strcmp(req.path, "/2") &&
          first + head == strlen(two));
}

static void test_paths_normalised(void)
{
    CHECK(!strcmp(path_of("/a/./b/../c"), "/a/c"));
    CHECK(!strcmp(path_of("/a//b///c"), "/a/b/c"));
    CHECK(!strcmp(path_of("/a/b/"), "/a/b") && req.dir_slash);
    CHECK(!strcmp(path_of("/x?y=../../../etc"), "/x"));
    CHECK(!strcmp(path_of("/%41%62c"), "/Abc"));
    CHECK(!strcmp(path_of("/%C3%9Cber"), "/\xc3\x9c" "ber"));
    CHECK(!strcmp(path_of("/a/b/.."), "/a"));
    CHECK(!strcmp(path_of("/a/.."), "/"));
    CHECK(!strcmp(path_of("http://example.com/a/b"), "/a/b"));
    CHECK(!strcmp(path_of("HTTP://example.com"), "/"));
    CHECK(!strcmp(path_of("/a%20b"), "/a b"));
}

static void test_traversal_refused(void)
{
    static const char *const attempts[] = {
        "/..", "/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/%2E%2e/%2e%2E/x", "/a/%2e%2e/%2e%2e",
        "/.%2e/x", "/a%2f..%2f..%2fx", "/a%5c..%5cx", "/%00", "/a%00.txt", "/%zz", "/%4", "/%",
        "/a\\b", "*", "x/y", "http:///a", "/\x01", "/%0a", "/%7f",
    };
    for (unsigned i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
        const char *p = path_of(attempts[i]);
        CHECK(!*p && status == 400);
        if (*p)
            printf("  accepted %s as %s\n", attempts[i], p);
    }
    char raw[] = "GET /\xc3\x9c HTTP/1.1\r\nHost: a\r\n\r\n"; /* non-ASCII must be escaped */
    CHECK(parse(raw) == HTTP_BAD && status == 400);
}

static void test_request_line_errors(void)
{
    CHECK(parse("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == HTTP_BAD && status == 505);
    CHECK(parse("GET / HTTP/1.2\r\nHost: a\r\n\r\n") == HTTP_BAD && status == 505);
    CHECK(parse("GET / HTTX/1.1\r\nHost: a\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("GET /\r\nHost: a\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("G(T / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse(" GET / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTP_BAD && status == 400);
}

/* text: a request line with a target of n 'a's. */
static char *long_target(size_t n, bool ended)
{
    char *text = malloc(n + 64);
    strcpy(text, "GET /");
    memset(text + 5, 'a', n);
    strcpy(text + 5 + n, ended ? " HTTP/1.1\r\nHost: a\r\n\r\n" : "");
    return text;
}

static void test_limits(void)
{
    char *t = long_target(HTTP_MAX_REQUEST_LINE + 10, false);
    CHECK(parse(t) == HTTP_BAD && status == 414); /* refused before it ends */
    free(t);
    t = long_target(HTTP_PATH_MAX + 10, true);
    CHECK(parse(t) == HTTP_BAD && status == 414);
    free(t);
    t = long_target(HTTP_PATH_MAX - 10, true);
    CHECK(parse(t) == HTTP_COMPLETE && strlen(req.path) == HTTP_PATH_MAX - 9);
    free(t);
    static char big[HTTP_MAX_HEAD + 100];
    strcpy(big, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
    memset(big + strlen(big), 'b', HTTP_MAX_HEAD);
    big[HTTP_MAX_HEAD + 50] = 0;
    CHECK(parse(big) == HTTP_BAD && status == 431);
    char many[8192] = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < HTTP_MAX_FIELDS; i++)
        strcat(many, "X-A: 1\r\n");
    strcat(many, "\r\n");
    CHECK(parse(many) == HTTP_BAD && status == 431);
}

static void test_fields(void)
{
    CHECK(parse("GET / HTTP/1.1\r\n\r\n") == HTTP_BAD && status == 400); /* no Host */
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  folded\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n") == HTTP_BAD && status == 400);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n") == HTTP_BAD);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 1,2\r\n\r\n") == HTTP_BAD);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n") ==
          HTTP_BAD);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n") ==
              HTTP_COMPLETE &&
          req.content_length == 3);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n") ==
          HTTP_BAD);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n") == HTTP_COMPLETE &&
          req.chunked);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n") == HTTP_BAD &&
          status == 501);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n") ==
              HTTP_BAD &&
          status == 400); /* both: the way requests are smuggled */
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"abc\"\r\n\r\n") == HTTP_COMPLETE &&
          !strcmp(req.if_none_match, "\"abc\""));
    CHECK(parse("GET / HTTP/1.1\r\nhost: a\r\nIF-MODIFIED-SINCE: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n") ==
              HTTP_COMPLETE &&
          req.has_if_modified_since && req.if_modified_since == 784111777);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\n\r\n") == HTTP_COMPLETE &&
          req.expect_continue);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\n\r\n") == HTTP_COMPLETE && !req.expect_continue);
    CHECK(parse("PUT / HTTP/1.1\r\nHost: a\r\nExpect: coffee\r\n\r\n") == HTTP_BAD &&
          status == 417);
}

static bool range(const char *spec, uint64_t size, uint64_t *first, uint64_t *count)
{
    char text[256];
    snprintf(text, sizeof(text), "GET / HTTP/1.1\r\nHost: a\r\nRange: %s\r\n\r\n", spec);
    return parse(text) == HTTP_COMPLETE && http_range_of(&req, size, first, count);
}

static void test_ranges(void)
{
    uint64_t f, n;
    CHECK(range("bytes=0-99", 1000, &f, &n) && f == 0 && n == 100);
    CHECK(range("bytes=900-", 1000, &f, &n) && f == 900 && n == 100);
    CHECK(range("bytes=-50", 1000, &f, &n) && f == 950 && n == 50);
    CHECK(range("bytes=-5000", 1000, &f, &n) && f == 0 && n == 1000);
    CHECK(range("bytes=0-5000", 1000, &f, &n) && f == 0 && n == 1000);
    CHECK(!range("bytes=1000-", 1000, &f, &n)); /* 416 */
    CHECK(!range("bytes=0-0", 0, &f, &n));
    CHECK(!range("bytes=-0", 1000, &f, &n));
    CHECK(range("bytes=5-1", 1000, &f, &n) && !req.has_range && n == 1000); /* ignored */
    CHECK(range("bytes=0-1,5-6", 1000, &f, &n) && !req.has_range);
    CHECK(range("items=0-1", 1000, &f, &n) && !req.has_range);
    CHECK(range("bytes=-", 1000, &f, &n) && !req.has_range);
    CHECK(range("bytes=18446744073709551615-", 1000, &f, &n) == false || !req.has_range);
}

static void test_dates(void)
{
    char d[HTTP_DATE_BYTES];
    uint64_t t;
    http_format_date(0, d);
    CHECK(!strcmp(d, "Thu, 01 Jan 1970 00:00:00 GMT"));
    http_format_date(784111777, d);
    CHECK(!strcmp(d, "Sun, 06 Nov 1994 08:49:37 GMT"));
    http_format_date(951782400, d); /* 2000-02-29 */
    CHECK(!strcmp(d, "Tue, 29 Feb 2000 00:00:00 GMT"));
    CHECK(http_parse_date("Sun, 06 Nov 1994 08:49:37 GMT", 29, &t) && t == 784111777);
    CHECK(http_parse_date("Sunday, 06-Nov-94 08:49:37 GMT", 30, &t) && t == 784111777);
    CHECK(http_parse_date("Sun Nov  6 08:49:37 1994", 24, &t) && t == 784111777);
    CHECK(!http_parse_date("Sun, 31 Feb 1994 08:49:37 GMT", 29, &t));
    CHECK(!http_parse_date("Sun, 06 Nox 1994 08:49:37 GMT", 29, &t));
    CHECK(!http_parse_date("Sun, 06 Nov 1994 24:49:37 GMT", 29, &t));
    CHECK(!http_parse_date("yesterday", 9, &t));
    for (uint64_t s = 1; s < 4102444800u; s = s * 3 + 12345) { /* to 2100 */
        http_format_date(s, d);
        CHECK(http_parse_date(d, strlen(d), &t) && t == s);
    }
}

/* The reference calendar: one day after another, months and years rolled
 * by their lengths (the plain rule, kept apart from lib/http's arithmetic). */
struct civil_day {
    unsigned y, m, d; /* m from 0, d from 1 */
};

static void next_day(struct civil_day *c)
{
    static const unsigned lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = c->y % 4 == 0 && (c->y % 100 != 0 || c->y % 400 == 0);
    if (++c->d <= lengths[c->m] + (c->m == 1 && leap))
        return;
    c->d = 1;
    if (++c->m == 12)
        c->m = 0, c->y++;
}

/* Every day from 1970 to 9999, at a second that moves through the day:
 * the closed-form calendar formats and parses it as the reference does. */
static void test_dates_every_day(void)
{
    static const char *const wd[7] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const mo[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct civil_day c = {1970, 0, 1};
    char got[HTTP_DATE_BYTES], want[64];
    unsigned bad = 0;
    for (uint64_t day = 0; c.y <= 9999; day++, next_day(&c)) {
        unsigned secs = (unsigned)(day * 7919 % 86400);
        uint64_t t = day * 86400 + secs, back;
        snprintf(want, sizeof(want), "%s, %02u %s %u %02u:%02u:%02u GMT", wd[day % 7], c.d,
                 mo[c.m], c.y, secs / 3600, secs / 60 % 60, secs % 60);
        http_format_date(t, got);
        bad += strcmp(got, want) != 0 || !http_parse_date(want, strlen(want), &back) || back != t;
    }
    CHECK(bad == 0);
    CHECK(c.y == 10000 && c.m == 0 && c.d == 1);
}

/* The edges by name: leap days kept and skipped, years' ends, and the
 * last day a four-digit year can say, where later times are held. */
static void test_date_edges(void)
{
    static const struct {
        uint64_t t;
        const char *text;
    } edges[] = {
        {68255999, "Tue, 29 Feb 1972 23:59:59 GMT"},   {951868799, "Tue, 29 Feb 2000 23:59:59 GMT"},
        {4107628799, "Mon, 01 Mar 2100 23:59:59 GMT"}, {13569465599, "Fri, 31 Dec 2399 23:59:59 GMT"},
        {13574649599, "Tue, 29 Feb 2400 23:59:59 GMT"}, {253402300799, "Fri, 31 Dec 9999 23:59:59 GMT"},
    };
    char d[HTTP_DATE_BYTES];
    uint64_t t;
    for (unsigned i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
        http_format_date(edges[i].t, d);
        CHECK(!strcmp(d, edges[i].text));
        CHECK(http_parse_date(edges[i].text, 29, &t) && t == edges[i].t);
    }
    http_format_date(253402300800, d); /* 10000-01-01: the last day, its clock going on */
    CHECK(!strcmp(d, "Fri, 31 Dec 9999 00:00:00 GMT"));
    CHECK(!http_parse_date("Mon, 29 Feb 2100 00:00:00 GMT", 29, &t));
}

static void test_mime_types(void)
{
    CHECK(!strcmp(http_mime_type("/index.html"), "text/html; charset=utf-8"));
    CHECK(!strcmp(http_mime_type("/a/b.PNG"), "image/png"));
    CHECK(!strcmp(http_mime_type("/noext"), "application/octet-stream"));
    CHECK(!strcmp(http_mime_type("/dir.d/file"), "application/octet-stream"));
    CHECK(!strcmp(http_mime_type("/x.tar.gz"), "application/gzip"));
}

/* An accepted path is rooted and normalised: no empty, "." or ".."
 * segment, no control byte or backslash, no trailing '/' but the root's. */
static bool path_sane(const char *p)
{
    size_t n = strlen(p);
    if (p[0] != '/' || n >= HTTP_PATH_MAX || (n > 1 && p[n - 1] == '/'))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\' ||
            (p[i] == '/' && i + 1 < n &&
             (p[i + 1] == '/' || (p[i + 1] == '.' && (i + 2 == n || p[i + 2] == '/' ||
                                                      (p[i + 2] == '.' && (i + 3 == n || p[i + 3] == '/')))))))
            return false;
    return true;
}

static void test_mutants_stay_safe(void)
{
    static const char *const seeds[] = {
        "GET /a/b/../c.html?x=1 HTTP/1.1\r\nHost: h\r\nRange: bytes=1-9\r\n\r\n",
        "PUT /upload/%2e%2E/f HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n",
        "GET http://h/%41/./b/ HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "HEAD /x HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n",
    };
    static const char alphabet[] = "/.%2eE\\\r\n :?aA0";
    uint64_t state = 0x9e3779b97f4a7c15ull;
    char buf[512];
    for (int i = 0; i < 300000; i++) {
        const char *s = seeds[next_random(&state) % 4];
        size_t n = strlen(s);
        memcpy(buf, s, n);
        for (int k = (int)(next_random(&state) % 8); k >= 0; k--) {
            uint64_t r = next_random(&state);
            buf[r % n] = r >> 40 & 1 ? alphabet[(r >> 20) % (sizeof(alphabet) - 1)] : (char)(r >> 32);
        }
        if (i % 10 == 0)
            n = next_random(&state) % n; /* cut short */
        enum http_parse p = parse_n(buf, n);
        CHECK(p != HTTP_COMPLETE || (path_sane(req.path) && head <= n));
        if (p == HTTP_COMPLETE && !path_sane(req.path))
            printf("  unsafe path %s\n", req.path);
        CHECK(p != HTTP_BAD || status == 400 || status == 414 || status == 417 || status == 431 ||
              status == 501 || status == 505);
    }
}

static void test_conditions(void)
{
    char etag[HTTP_ETAG_BYTES];
    http_etag(10, 255, etag);
    CHECK(!strcmp(etag, "\"a-ff\""));
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"a-ff\"\r\n\r\n") == HTTP_COMPLETE &&
          http_not_modified(&req, etag, 255));
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"x\", W/\"a-ff\"\r\n\r\n") ==
              HTTP_COMPLETE &&
          http_not_modified(&req, etag, 255));
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: *\r\n\r\n") == HTTP_COMPLETE &&
          http_not_modified(&req, etag, 255));
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nIf-None-Match: \"a-f\"\r\n"
                "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n") == HTTP_COMPLETE &&
          !http_not_modified(&req, etag, 255)); /* a tag that differs wins over the date */
    CHECK(parse("GET / HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n") ==
              HTTP_COMPLETE &&
          http_not_modified(&req, etag, 784111777) && !http_not_modified(&req, etag, 784111778));
    CHECK(!strcmp(http_reason(404), "Not Found") && !*http_reason(999));
}

/* The head's dates (kept formatted for the next head) against fresh
 * ones, over times that repeat, alternate and change. */
static void test_head_dates(void)
{
    static const uint64_t times[] = {5, 5, 7, 5, 7, 9, 9, 5, 86400, 7, 253402300800, 5};
    unsigned n = sizeof(times) / sizeof(times[0]);
    for (unsigned i = 0; i < n; i++) {
        uint64_t now = times[i], mtime = times[(i * 7 + 3) % n];
        struct http_response r = {.code = 200, .has_mtime = true, .mtime = mtime, .now = now};
        char out[512], want[512], date[HTTP_DATE_BYTES], modified[HTTP_DATE_BYTES];
        size_t len = http_format_head(&r, out, sizeof(out) - 1);
        out[len] = 0;
        http_format_date(now, date), http_format_date(mtime, modified);
        snprintf(want, sizeof(want), "HTTP/1.1 200 OK\r\nDate: %s\r\nServer: Pride\r\n"
                 "Last-Modified: %s\r\n", date, modified);
        CHECK(len && !strncmp(out, want, strlen(want)));
    }
}

static void test_heads(void)
{
    char out[512];
    struct http_response r = {.code = 200, .content_type = "text/plain", .has_length = true,
                              .length = 12, .has_mtime = true, .mtime = 0, .etag = "\"c-0\"",
                              .keep_alive = true, .now = 784111777};
    size_t n = http_format_head(&r, out, sizeof(out));
    const char *want = "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: Pride\r\n"
                       "Content-Type: text/plain\r\nContent-Length: 12\r\n"
                       "Last-Modified: Thu, 01 Jan 1970 00:00:00 GMT\r\nETag: \"c-0\"\r\n"
                       "Accept-Ranges: bytes\r\nConnection: keep-alive\r\n\r\n";
    CHECK(n == strlen(want) && !memcmp(out, want, n));
    for (size_t cap = 0; cap < n; cap++) {
        char *small = malloc(cap ? cap : 1);
        CHECK(http_format_head(&r, small, cap) == 0); /* no room: nothing, and nothing past it */
        free(small);
    }
    r = (struct http_response){.code = 206, .ranged = true, .range_first = 10, .range_count = 10,
                               .total = 100, .has_length = true, .length = 10, .now = 0};
    n = http_format_head(&r, out, sizeof(out));
    CHECK(n && strstr(out, "HTTP/1.1 206 Partial Content\r\n") &&
          strstr(out, "\r\nContent-Range: bytes 10-19/100\r\n") && strstr(out, "Connection: close"));
    r = (struct http_response){.code = 416, .unsatisfiable = true, .total = 100};
    CHECK(http_format_head(&r, out, sizeof(out)) && strstr(out, "\r\nContent-Range: bytes */100\r\n"));
    r = (struct http_response){.code = 405, .allow = "GET, HEAD, PUT"};
    CHECK(http_format_head(&r, out, sizeof(out)) && strstr(out, "\r\nAllow: GET, HEAD, PUT\r\n"));
    test_head_dates();
}

static void test_bodies(void)
{
    char out[512];
    CHECK(http_error_page(404, out, sizeof(out)) && strstr(out, "<title>404 Not Found</title>"));
    CHECK(http_error_page(404, out, 20) == 0);
    size_t n = http_listing_line("a<b&\"c'.txt", false, 7, out, sizeof(out));
    CHECK(n && !strcmp(out, "<li><a href=\"a%3Cb%26%22c%27.txt\">a&lt;b&amp;&quot;c&#39;.txt</a> 7 bytes</li>\n"));
    CHECK(http_listing_line("\xc3\x9c dir", true, 0, out, sizeof(out)) &&
          !strcmp(out, "<li><a href=\"%C3%9C%20dir/\">\xc3\x9c dir/</a></li>\n"));
    CHECK(http_listing_start("/", out, sizeof(out)) &&
          !strcmp(out, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Index of /</title>"
                       "</head>\n<body><h1>Index of /</h1>\n<ul>\n"));
    CHECK(http_listing_start("/a<b", out, sizeof(out)) && strstr(out, "<title>Index of /a&lt;b/</title>") &&
          strstr(out, "<h1>Index of /a&lt;b/</h1>\n<ul>\n<li><a href=\"../\">../</a></li>\n"));
    CHECK(http_listing_start("/docs", out, 40) == 0);
    CHECK(http_listing_end(0, out, sizeof(out)) && !strcmp(out, "</ul>\n</body></html>\n"));
    CHECK(http_listing_end(UINT64_MAX, out, HTTP_LISTING_END_MAX) &&
          !strcmp(out, "</ul>\n<p>18446744073709551615 more not shown</p>\n</body></html>\n"));
    CHECK(http_listing_end(3, out, 10) == 0);
    uint64_t state = 12345;
    for (int i = 0; i < 20000; i++) { /* hostile names, any room: never past it */
        char name[64];
        size_t len = next_random(&state) % 63;
        for (size_t k = 0; k < len; k++)
            name[k] = (char)(1 + next_random(&state) % 255);
        name[len] = 0;
        size_t cap = next_random(&state) % 400;
        char *room = malloc(cap ? cap : 1);
        size_t got = http_listing_line(name, i & 1, next_random(&state), room, cap);
        CHECK(got <= cap);
        if (got) {
            bool clean = true; /* no markup can come from the name */
            for (size_t k = 0; k < got; k++)
                clean &= room[k] != '<' || !strncmp(room + k, "<li>", 4) || !strncmp(room + k, "<a ", 3) ||
                         !strncmp(room + k, "</a>", 4) || !strncmp(room + k, "</li>", 5);
            CHECK(clean);
        }
        free(room);
    }
}

int main(void)
{
    RUN(simple_requests);
    RUN(incomplete_and_pipelined);
    RUN(paths_normalised);
    RUN(traversal_refused);
    RUN(request_line_errors);
    RUN(limits);
    RUN(fields);
    RUN(ranges);
    RUN(dates);
    RUN(dates_every_day);
    RUN(date_edges);
    RUN(mime_types);
    RUN(mutants_stay_safe);
    RUN(conditions);
    RUN(heads);
    RUN(bodies);
    return failures != 0;
}

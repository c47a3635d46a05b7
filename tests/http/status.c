/*
 * The status pages (lib/http/status_page.c) on the host under ASan/UBSan:
 * the counters, the HTML's figures and rows, the JSON byte for byte, a
 * hostile PD name rendered harmless, and every buffer too small refused
 * whole.
 */
#include "../../lib/http/status_page.h"

#include <stdlib.h>
#include <string.h>

#define TEST_PREFIX "http_status_"
#include "../queue/check.h"

static struct http_counters counters;
static char out[8192];

/* Two PDs that answer, one that does not; 3 responses, 1234 bytes. */
static struct status_page sample(void)
{
    memset(&counters, 0, sizeof(counters));
    http_count_response(&counters, 200);
    http_count_response(&counters, 200);
    http_count_response(&counters, 404);
    http_count_response(&counters, 600);  /* out of range: not counted */
    http_count_response(&counters, 9999); /* nor this */
    counters.bytes_sent = 1234;
    struct status_page s = {.uptime_ns = 12345678901ull, .counters = &counters, .pd_count = 3};
    s.pds[0] = (struct status_pd){.answered = true, .name = "net_driver",
                                  .stats = {.unit = PRIDE_STATS_FRAMES, .passed = 77, .drops = 1}};
    s.pds[2] = (struct status_pd){.answered = true, .name = "fs",
                                  .stats = {.unit = PRIDE_STATS_REQUESTS, .passed = 9, .bad_idx = 2}};
    return s;
}

static void test_counters(void)
{
    sample();
    CHECK(http_responses(&counters) == 3);
    CHECK(counters.responses[200] == 2 && counters.responses[404] == 1);
}

static void test_html(void)
{
    struct status_page s = sample();
    size_t n = status_page_html(&s, out, sizeof(out));
    CHECK(n > 0 && n == strlen(out));
    CHECK(strstr(out, "<title>Pride status</title>"));
    CHECK(strstr(out, "http-equiv=\"refresh\" content=\"" STATUS_PAGE_REFRESH "\""));
    CHECK(strstr(out, "<span id=\"uptime\">12.3</span>"));
    CHECK(strstr(out, "<span id=\"requests\">3</span>"));
    CHECK(strstr(out, "<span id=\"bytes\">1234</span>"));
    CHECK(strstr(out, "<tr><td>200</td><td>2</td></tr>"));
    CHECK(strstr(out, "<tr><td>404</td><td>1</td></tr>"));
    CHECK(strstr(out, "<tr><td>net_driver</td><td>frames</td><td>77</td><td>1</td><td>0</td>"
                      "<td>0</td></tr>"));
    CHECK(strstr(out, "<tr><td>listed PD 1</td><td colspan=\"5\">did not answer</td></tr>"));
    CHECK(strstr(out, "<td>fs</td><td>requests</td><td>9</td><td>0</td><td>0</td><td>2</td>"));
    CHECK(!strstr(out, "<td>600</td>"));
    CHECK(strstr(out, "</html>\n"));
}

static void test_json(void)
{
    struct status_page s = sample();
    const char *want =
        "{\"uptime_ms\":12345,\"requests\":3,\"bytes_sent\":1234,"
        "\"responses\":{\"200\":2,\"404\":1},\"pds\":["
        "{\"answered\":true,\"name\":\"net_driver\",\"unit\":\"frames\",\"passed\":77,"
        "\"drops\":1,\"bad_desc\":0,\"bad_idx\":0},{\"answered\":false},"
        "{\"answered\":true,\"name\":\"fs\",\"unit\":\"requests\",\"passed\":9,"
        "\"drops\":0,\"bad_desc\":0,\"bad_idx\":2}]}\n";
    size_t n = status_page_json(&s, out, sizeof(out));
    CHECK(n == strlen(want) && !strcmp(out, want));
}

/* A PD's name and unit are its own claims: markup and quotes become '?',
 * an unknown unit is "passed". */
static void test_hostile_pd(void)
{
    struct status_page s = sample();
    strcpy(s.pds[0].name, "<b>\"x\\");
    s.pds[0].stats.unit = 1000;
    status_page_html(&s, out, sizeof(out));
    CHECK(strstr(out, "<td>?b??x?</td><td>passed</td>") && !strstr(out, "<b>"));
    status_page_json(&s, out, sizeof(out));
    CHECK(strstr(out, "\"name\":\"?b??x?\",\"unit\":\"passed\""));
    s.pd_count = 1000; /* more than a <stats> element lists: only those there are */
    CHECK(status_page_json(&s, out, sizeof(out)) > 0);
}

/* Every buffer shorter than the page: refused whole, nothing written past. */
static void test_too_small(void)
{
    struct status_page s = sample();
    size_t html = status_page_html(&s, out, sizeof(out)), json = status_page_json(&s, out, sizeof(out));
    bool refused = true;
    for (size_t cap = 0; cap < html || cap < json; cap++) {
        char *small = malloc(cap ? cap : 1);
        if (cap < html && status_page_html(&s, small, cap))
            refused = false;
        if (cap < json && status_page_json(&s, small, cap))
            refused = false;
        free(small);
    }
    CHECK(refused);
    CHECK(status_page_html(&s, out, html) == html);
}

int main(void)
{
    RUN(counters);
    RUN(html);
    RUN(json);
    RUN(hostile_pd);
    RUN(too_small);
    return failures != 0;
}

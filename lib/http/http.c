/* HTTP/1.1 requests (http.h): the head, the target's path, the fields the
 * server acts on, dates and media types. */
#include "http.h"

/* ---- characters and numbers ---- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* RFC 9110's tchar: what a method or a field name is made of. Letters
 * and digits, nearly every byte of a name, are answered before the
 * search through the others. */
static bool is_tchar(char c)
{
    static const char extra[] = "!#$%&'*+-.^_`|~";
    if (is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    for (const char *e = extra; *e; e++)
        if (c == *e)
            return true;
    return false;
}

static bool same_text(const char *a, size_t n, const char *b) /* b: lower case, NUL-ended */
{
    size_t i = 0;
    for (; i < n && b[i]; i++)
        if (lower(a[i]) != b[i])
            return false;
    return i == n && !b[i];
}

/* 1*DIGIT, at most 2^63 - 1; false if not, or if it would overflow. */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    *out = 0;
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]) || *out > (UINT64_MAX / 2 - 9) / 10)
            return false;
        *out = *out * 10 + (uint64_t)(s[i] - '0');
    }
    return true;
}

/* s[0..n) without optional whitespace at either end. */
static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* ---- the target ---- */

static int hex_value(char c)
{
    if (is_digit(c))
        return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#define TOO_LONG (-2)

/* The segment seg[0..n) percent-decoded into out (at most max bytes):
 * its length; -1 for a bad escape or a byte no path may hold (NUL,
 * controls, and '/' or '\' smuggled in as %2F or %5C); TOO_LONG. */
static long decode_segment(const char *seg, size_t n, char *out, size_t max)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)seg[i];
        if (c == '%') {
            if (i + 2 >= n || hex_value(seg[i + 1]) < 0 || hex_value(seg[i + 2]) < 0)
                return -1;
            c = hex_value(seg[i + 1]) * 16 + hex_value(seg[i + 2]);
            i += 2;
        }
        if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
            return -1;
        if (o == max)
            return TOO_LONG;
        out[o++] = (char)c;
    }
    return (long)o;
}

/* One decoded segment onto the path at out (*len bytes so far): "." is
 * nothing, ".." takes the last segment off (400 if there is none: the
 * target would climb above the root), anything else goes on after a '/'. */
static unsigned add_segment(char *out, size_t *len, const char *seg, size_t n)
{
    if (n == 1 && seg[0] == '.')
        return 200;
    if (n == 2 && seg[0] == '.' && seg[1] == '.') {
        if (*len == 0)
            return 400;
        while (*len && out[*len - 1] != '/')
            (*len)--;
        (*len)--; /* and its '/' */
        return 200;
    }
    size_t at = *len; /* a local: the byte stores could alias *len */
    if (at + 1 + n >= HTTP_PATH_MAX)
        return 414;
    out[at++] = '/';
    for (size_t i = 0; i < n; i++)
        out[at++] = seg[i];
    *len = at;
    return 200;
}

/* The path of an origin-form target ("/a/b?q"), decoded and normalised;
 * 200, or the status to answer. */
static unsigned target_path(const char *t, size_t n, struct http_request *r)
{
    char seg[HTTP_PATH_MAX];
    size_t len = 0, end = 0;
    while (end < n && t[end] != '?')
        end++; /* the query plays no part in a file's name */
    r->dir_slash = end && t[end - 1] == '/';
    for (size_t at = 1; at <= end;) {
        size_t stop = at;
        while (stop < end && t[stop] != '/')
            stop++;
        long got = decode_segment(t + at, stop - at, seg, sizeof(seg));
        if (got < 0)
            return got == TOO_LONG ? 414 : 400;
        unsigned st = got ? add_segment(r->path, &len, seg, (size_t)got) : 200;
        if (st != 200)
            return st;
        at = stop + 1;
    }
    if (!len)
        r->path[len++] = '/';
    r->path[len] = 0;
    return 200;
}

/* origin-form, or absolute-form ("http://host/path": its path). */
static unsigned parse_target(const char *t, size_t n, struct http_request *r)
{
    static const char root[] = "/";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] <= 0x20 || (unsigned char)t[i] >= 0x7f)
            return 400;
    if (n >= 7 && same_text(t, 7, "http://")) {
        size_t at = 7;
        while (at < n && t[at] != '/' && t[at] != '?')
            at++;
        if (at == 7)
            return 400;
        return at < n && t[at] == '/' ? target_path(t + at, n - at, r) : target_path(root, 1, r);
    }
    return n && t[0] == '/' ? target_path(t, n, r) : 400;
}

/* ---- the request line ---- */

static enum http_method method_of(const char *m, size_t n)
{
    if (n == 3 && m[0] == 'G' && m[1] == 'E' && m[2] == 'T')
        return HTTP_GET;
    if (n == 4 && m[0] == 'H' && m[1] == 'E' && m[2] == 'A' && m[3] == 'D')
        return HTTP_HEAD;
    if (n == 3 && m[0] == 'P' && m[1] == 'U' && m[2] == 'T')
        return HTTP_PUT;
    return HTTP_OTHER;
}

/* "HTTP/1.0" or "HTTP/1.1": 200; "HTTP/d.d" otherwise 505; else 400. */
static unsigned parse_version(const char *v, size_t n, unsigned *minor)
{
    static const char prefix[] = "HTTP/";
    if (n != 8)
        return 400;
    for (unsigned i = 0; i < 5; i++)
        if (v[i] != prefix[i])
            return 400;
    if (!is_digit(v[5]) || v[6] != '.' || !is_digit(v[7]))
        return 400;
    *minor = (unsigned)(v[7] - '0');
    return v[5] == '1' && *minor <= 1 ? 200 : 505;
}

/* METHOD SP target SP version, single spaces. */
static unsigned parse_request_line(const char *l, size_t n, struct http_request *r)
{
    size_t m = 0, t;
    while (m < n && is_tchar(l[m]))
        m++;
    if (!m || m == n || l[m] != ' ')
        return 400;
    for (t = m + 1; t < n && l[t] != ' '; t++)
        ;
    if (t == n || t == m + 1)
        return 400;
    r->method = method_of(l, m);
    unsigned st = parse_version(l + t + 1, n - t - 1, &r->minor);
    return st != 200 ? st : parse_target(l + m + 1, t - m - 1, r);
}

/* ---- fields ---- */

struct field_state {
    unsigned hosts, lengths;
    bool close, keep_alive, transfer_encoding;
};

/* Connection: a list of options, of which close and keep-alive matter. */
static void connection_options(const char *v, size_t n, struct field_state *f)
{
    for (size_t at = 0; at < n;) {
        size_t stop = at;
        while (stop < n && v[stop] != ',')
            stop++;
        const char *o = v + at;
        size_t len = stop - at;
        trim(&o, &len);
        f->close |= same_text(o, len, "close");
        f->keep_alive |= same_text(o, len, "keep-alive");
        at = stop + 1;
    }
}

/* Transfer-Encoding: chunked last, or 501 (no other coding is known). */
static unsigned transfer_coding(const char *v, size_t n, struct http_request *r)
{
    size_t at = n;
    while (at && v[at - 1] != ',')
        at--;
    const char *last = v + at;
    size_t len = n - at;
    trim(&last, &len);
    r->chunked = same_text(last, len, "chunked");
    return r->chunked ? 200 : 501;
}

/* Range: one "bytes=" range; anything else is ignored, as RFC 9110 allows. */
static void byte_range(const char *v, size_t n, struct http_request *r)
{
    size_t dash = 6;
    uint64_t first = 0, last = UINT64_MAX;
    if (n < 7 || !same_text(v, 6, "bytes="))
        return;
    while (dash < n && v[dash] != '-')
        dash++;
    if (dash == n)
        return;
    bool has_first = parse_u64(v + 6, dash - 6, &first);
    bool has_last = parse_u64(v + dash + 1, n - dash - 1, &last);
    if ((dash > 6 && !has_first) || (dash + 1 < n && !has_last) || (!has_first && !has_last) ||
        (has_first && has_last && last < first))
        return;
    r->has_range = true;
    r->range_suffix = !has_first;
    r->range_first = has_first ? first : 0;
    r->range_last = has_last ? last : UINT64_MAX;
}

static unsigned content_length(const char *v, size_t n, struct http_request *r,
                               struct field_state *f)
{
    uint64_t length;
    if (!parse_u64(v, n, &length) || (f->lengths++ && length != r->content_length))
        return 400; /* not a number, or two that differ */
    r->has_length = true;
    r->content_length = length;
    return 200;
}

static void keep_etag(const char *v, size_t n, struct http_request *r)
{
    if (n >= HTTP_ETAG_MAX)
        return; /* longer than any tag of ours: it cannot match */
    for (size_t i = 0; i < n; i++)
        r->if_none_match[i] = v[i];
    r->if_none_match[n] = 0;
}

/* The fields of 17 letters: Transfer-Encoding and If-Modified-Since. */
static unsigned take_field17(const char *name, const char *v, size_t vn, struct http_request *r,
                             struct field_state *f)
{
    if (same_text(name, 17, "transfer-encoding"))
        return f->transfer_encoding = true, transfer_coding(v, vn, r);
    if (same_text(name, 17, "if-modified-since"))
        r->has_if_modified_since = http_parse_date(v, vn, &r->if_modified_since);
    return 200;
}

/* One field (name[0..nn), value[0..vn), trimmed): what it says, kept.
 * The name's length picks the one known name it can be before any text
 * is compared. */
static unsigned take_field(const char *name, size_t nn, const char *v, size_t vn,
                           struct http_request *r, struct field_state *f)
{
    switch (nn) {
    case 4:
        f->hosts += same_text(name, nn, "host");
        break;
    case 5:
        if (same_text(name, nn, "range"))
            byte_range(v, vn, r);
        break;
    case 6:
        if (same_text(name, nn, "expect"))
            return (r->expect_continue = same_text(v, vn, "100-continue")) ? 200 : 417;
        break;
    case 10:
        if (same_text(name, nn, "connection"))
            connection_options(v, vn, f);
        break;
    case 13:
        if (same_text(name, nn, "if-none-match"))
            keep_etag(v, vn, r);
        break;
    case 14:
        return same_text(name, nn, "content-length") ? content_length(v, vn, r, f) : 200;
    case 17:
        return take_field17(name, v, vn, r, f);
    }
    return 200;
}

/* "name: value"; no space before the colon, no control bytes. */
static unsigned parse_field(const char *l, size_t n, struct http_request *r, struct field_state *f)
{
    size_t colon = 0;
    while (colon < n && is_tchar(l[colon]))
        colon++;
    if (!colon || colon == n || l[colon] != ':')
        return 400;
    const char *v = l + colon + 1;
    size_t vn = n - colon - 1;
    for (size_t i = 0; i < vn; i++)
        if (((unsigned char)v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f)
            return 400; /* a control byte, a bare CR among them */
    trim(&v, &vn);
    return take_field(l, colon, v, vn, r, f);
}

/* ---- the head ---- */

/* The line from at: its length without its end (CRLF or LF) in *n, and
 * the next line's start; 0 if no line end comes before 'limit'. */
static size_t next_line(const char *in, size_t at, size_t limit, size_t *n)
{
    for (size_t i = at; i < limit; i++)
        if (in[i] == '\n') {
            *n = i - at - (i > at && in[i - 1] == '\r');
            return i + 1;
        }
    *n = limit - at;
    return 0;
}

static void clear(struct http_request *r)
{
    r->method = HTTP_OTHER;
    r->minor = 1;
    r->keep_alive = r->dir_slash = r->has_length = r->chunked = r->has_range = false;
    r->expect_continue = false;
    r->range_suffix = r->has_if_modified_since = false;
    r->content_length = r->range_first = r->range_last = r->if_modified_since = 0;
    r->path[0] = '/', r->path[1] = 0;
    r->if_none_match[0] = 0;
}

/* The field lines after the request line, to the empty one; 200 or the
 * status to answer; 0 if the head has not ended before 'limit'. */
static unsigned parse_fields(const char *in, size_t at, size_t limit, struct http_request *r,
                             size_t *head_end)
{
    struct field_state f = {0, 0, false, false, false};
    size_t n, next;
    for (unsigned count = 0; (next = next_line(in, at, limit, &n)); at = next, count++) {
        if (!n) {
            *head_end = next;
            bool one_host = r->minor == 0 ? f.hosts <= 1 : f.hosts == 1;
            r->keep_alive = !f.close && (r->minor == 1 || f.keep_alive);
            return !one_host || (f.transfer_encoding && f.lengths) ? 400 : 200;
        }
        if (count == HTTP_MAX_FIELDS)
            return 431;
        unsigned st = in[at] == ' ' || in[at] == '\t' ? 400 : parse_field(in + at, n, r, &f);
        if (st != 200)
            return st; /* (a folded line, obsolete, is refused) */
    }
    return 0;
}

enum http_parse http_parse_request(const char *in, size_t len, struct http_request *out,
                                   size_t *head_bytes, unsigned *status)
{
    size_t at = 0, n, next;
    size_t limit = len < HTTP_MAX_HEAD ? len : HTTP_MAX_HEAD;
    clear(out);
    *status = 0;
    while (at < limit && (in[at] == '\n' || (in[at] == '\r' && at + 1 < limit && in[at + 1] == '\n')))
        at += in[at] == '\r' ? 2 : 1; /* empty lines before a request are ignored */
    next = next_line(in, at, limit, &n);
    if (n > HTTP_MAX_REQUEST_LINE || (!next && len >= HTTP_MAX_HEAD)) {
        *status = n > HTTP_MAX_REQUEST_LINE ? 414 : 431;
        return HTTP_BAD;
    }
    if (!next)
        return HTTP_INCOMPLETE;
    unsigned st = parse_request_line(in + at, n, out);
    if (st == 200)
        st = parse_fields(in, next, limit, out, head_bytes);
    if (st == 0 && len < HTTP_MAX_HEAD)
        return HTTP_INCOMPLETE;
    *status = st == 0 ? 431 : st;
    return st == 200 ? HTTP_COMPLETE : HTTP_BAD;
}

bool http_range_of(const struct http_request *r, uint64_t size, uint64_t *first, uint64_t *count)
{
    if (!r->has_range) {
        *first = 0, *count = size;
        return true;
    }
    if (r->range_suffix) {
        uint64_t n = r->range_last < size ? r->range_last : size;
        *first = size - n, *count = n;
        return n > 0;
    }
    if (r->range_first >= size)
        return false;
    uint64_t last = r->range_last < size - 1 ? r->range_last : size - 1;
    *first = r->range_first, *count = last - r->range_first + 1;
    return true;
}

/* ---- dates ---- */

static const char weekdays[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; /* from 1970-01-01 */
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static bool leap(uint64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static unsigned month_days(uint64_t y, unsigned m)
{
    static const uint8_t days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m] + (m == 1 && leap(y));
}

/* Dates are counted from 0000-03-01 (proleptic Gregorian): with years
 * starting in March, a leap day is the last day of its year, so a month's
 * start within the year never depends on the year, and each 400-, 100-
 * and 4-year block ends with its only irregular day. */
#define EPOCH_FROM_MARCH 719468u /* days from 0000-03-01 to 1970-01-01 */
#define DAYS_400Y 146097u
#define DAYS_100Y 36524u /* the 400 years' last century has one more */
#define DAYS_4Y 1461u    /* a century's last 4 years may have one less */

/* The first day of month m (0: March) in a March-based year: the months
 * from March run 31, 30, 31, 30, 31 days, five by five (153 days), so
 * the starts lie on the line 30.6 m, rounded down after adding 0.4. */
static unsigned march_month_start(unsigned m)
{
    return (153 * m + 2) / 5;
}

/* Days from 1970-01-01 to y-m-d (m from 0, d from 1; y from 1970): the
 * March-based years before y's, 365 days each and a leap day for every
 * leap year among them, then the months before m. */
static uint64_t days_of(unsigned y, unsigned m, unsigned d)
{
    unsigned years = m < 2 ? y - 1 : y, month = m < 2 ? m + 10 : m - 2;
    return 365ull * years + years / 4 - years / 100 + years / 400 + march_month_start(month) +
           d - 1 - EPOCH_FROM_MARCH;
}

#define LAST_DAY 2932896u /* 9999-12-31, in days from 1970-01-01 */

/* Year, month (from 0) and day (from 1) of day 'days' from 1970-01-01,
 * days <= LAST_DAY: 400-year cycles, then centuries, 4-year blocks and
 * years, each division clamped where a block's last day is its extra one. */
static void civil_of(unsigned days, unsigned *y, unsigned *m, unsigned *d)
{
    unsigned z = days + EPOCH_FROM_MARCH, cycles = z / DAYS_400Y, r = z % DAYS_400Y;
    unsigned centuries = r / DAYS_100Y < 3 ? r / DAYS_100Y : 3;
    r -= centuries * DAYS_100Y;
    unsigned blocks = r / DAYS_4Y;
    r -= blocks * DAYS_4Y;
    unsigned years = r / 365 < 3 ? r / 365 : 3;
    r -= years * 365; /* the day of the March-based year, 0 to 365 */
    unsigned month = (5 * r + 2) / 153; /* march_month_start's inverse */
    *d = r - march_month_start(month) + 1;
    *m = month < 10 ? month + 2 : month - 10;
    *y = 400 * cycles + 100 * centuries + 4 * blocks + years + (month >= 10);
}

static void put2(char *out, unsigned v)
{
    out[0] = (char)('0' + v / 10 % 10), out[1] = (char)('0' + v % 10);
}

void http_format_date(uint64_t t, char out[HTTP_DATE_BYTES])
{
    /* held at the last day a four-digit year can say */
    unsigned days = t / 86400 < LAST_DAY ? (unsigned)(t / 86400) : LAST_DAY;
    unsigned secs = (unsigned)(t % 86400), y, m, d;
    civil_of(days, &y, &m, &d);
    const char *wd = weekdays[days % 7], *mo = months[m];
    out[0] = wd[0], out[1] = wd[1], out[2] = wd[2], out[3] = ',', out[4] = ' ';
    put2(out + 5, d);
    out[7] = ' ', out[8] = mo[0], out[9] = mo[1], out[10] = mo[2], out[11] = ' ';
    put2(out + 12, y / 100), put2(out + 14, y % 100);
    out[16] = ' ';
    put2(out + 17, secs / 3600), out[19] = ':';
    put2(out + 20, secs / 60 % 60), out[22] = ':';
    put2(out + 23, secs % 60);
    out[25] = ' ', out[26] = 'G', out[27] = 'M', out[28] = 'T', out[29] = 0;
}

/* n digits at s as a number; false if any is not a digit. */
static bool digits(const char *s, unsigned n, unsigned *out)
{
    *out = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return false;
        *out = *out * 10 + (unsigned)(s[i] - '0');
    }
    return true;
}

static int month_of(const char *s)
{
    for (int m = 0; m < 12; m++)
        if (s[0] == months[m][0] && s[1] == months[m][1] && s[2] == months[m][2])
            return m;
    return -1;
}

/* "HH:MM:SS" at s into seconds of the day. */
static bool clock_time(const char *s, unsigned *secs)
{
    unsigned h, mi, se;
    if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &mi) || s[5] != ':' ||
        !digits(s + 6, 2, &se) || h > 23 || mi > 59 || se > 60)
        return false;
    *secs = h * 3600 + mi * 60 + se;
    return true;
}

static bool civil(unsigned y, int m, unsigned d, unsigned secs, uint64_t *out)
{
    if (m < 0 || y < 1970 || y > 9999 || !d || d > month_days(y, (unsigned)m))
        return false;
    *out = days_of(y, (unsigned)m, d) * 86400 + secs;
    return true;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static bool imf_fixdate(const char *s, size_t n, uint64_t *out)
{
    unsigned d, y, secs;
    if (n != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[25] != ' ' || s[26] != 'G' || s[27] != 'M' || s[28] != 'T')
        return false;
    return digits(s + 5, 2, &d) && digits(s + 12, 4, &y) && clock_time(s + 17, &secs) &&
           civil(y, month_of(s + 8), d, secs, out);
}

/* "Sun Nov  6 08:49:37 1994" */
static bool asctime_date(const char *s, size_t n, uint64_t *out)
{
    unsigned d, y, secs;
    if (n != 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ')
        return false;
    char day[2] = {s[8] == ' ' ? '0' : s[8], s[9]};
    return digits(day, 2, &d) && digits(s + 20, 4, &y) && clock_time(s + 11, &secs) &&
           civil(y, month_of(s + 4), d, secs, out);
}

/* "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit years: 1970 to 2069) */
static bool rfc850_date(const char *s, size_t n, uint64_t *out)
{
    size_t c = 0;
    unsigned d, y, secs;
    while (c < n && c < 10 && s[c] != ',')
        c++;
    if (c < 6 || n != c + 24 || s[c + 1] != ' ' || s[c + 4] != '-' || s[c + 8] != '-' ||
        s[c + 11] != ' ' || s[c + 20] != ' ' || s[c + 21] != 'G' || s[c + 22] != 'M' ||
        s[c + 23] != 'T')
        return false;
    return digits(s + c + 2, 2, &d) && digits(s + c + 9, 2, &y) && clock_time(s + c + 12, &secs) &&
           civil(y < 70 ? 2000 + y : 1900 + y, month_of(s + c + 5), d, secs, out);
}

bool http_parse_date(const char *s, size_t n, uint64_t *out)
{
    return imf_fixdate(s, n, out) || asctime_date(s, n, out) || rfc850_date(s, n, out);
}

/* ---- media types ---- */

/* An extension and its media type; the length and first letter are
 * compared before the whole extension. */
#define MEDIA(ext, type) {ext, sizeof(ext) - 1, type}
static const struct media {
    char ext[6];
    unsigned char len;
    const char *type;
} media[] = {
    MEDIA("html", "text/html; charset=utf-8"), MEDIA("htm", "text/html; charset=utf-8"),
    MEDIA("css", "text/css"), MEDIA("js", "text/javascript"), MEDIA("mjs", "text/javascript"),
    MEDIA("json", "application/json"), MEDIA("txt", "text/plain; charset=utf-8"),
    MEDIA("xml", "application/xml"), MEDIA("svg", "image/svg+xml"), MEDIA("png", "image/png"),
    MEDIA("jpg", "image/jpeg"), MEDIA("jpeg", "image/jpeg"), MEDIA("gif", "image/gif"),
    MEDIA("webp", "image/webp"), MEDIA("ico", "image/x-icon"), MEDIA("pdf", "application/pdf"),
    MEDIA("wasm", "application/wasm"), MEDIA("woff", "font/woff"), MEDIA("woff2", "font/woff2"),
    MEDIA("mp4", "video/mp4"), MEDIA("webm", "video/webm"), MEDIA("mp3", "audio/mpeg"),
    MEDIA("zip", "application/zip"), MEDIA("gz", "application/gzip"),
    MEDIA("tar", "application/x-tar"),
};

const char *http_mime_type(const char *path)
{
    const char *dot = NULL, *end = path;
    for (; *end; end++)
        dot = *end == '.' ? end : *end == '/' ? NULL : dot;
    size_t n = dot ? (size_t)(end - dot - 1) : 0;
    char first = dot ? lower(dot[1]) : 0;
    for (size_t i = 0; n && i < sizeof(media) / sizeof(media[0]); i++)
        if (media[i].len == n && media[i].ext[0] == first && same_text(dot + 1, n, media[i].ext))
            return media[i].type;
    return "application/octet-stream";
}

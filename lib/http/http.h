/*
 * HTTP/1.1 requests, as the web server reads them (RFC 9110, 9112): the
 * request line and header fields of one request from the bytes a client
 * sent, with every limit named here, the target percent-decoded and
 * normalised so that it can never name anything above the served
 * directory, and the fields the server acts on (Host, Connection,
 * Content-Length, Transfer-Encoding, Range, If-None-Match,
 * If-Modified-Since) taken apart. Also HTTP dates and MIME types.
 *
 * Everything a client sends is hostile: no field is trusted until it is
 * checked, no number may overflow, nothing is copied beyond its buffer,
 * and each kind of bad request has its status code. No state, no libc:
 * builds for the host (tests, fuzzing) and AArch64.
 */
#ifndef PRIDE_HTTP_H
#define PRIDE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_REQUEST_LINE 2048 /* longer: 414 */
#define HTTP_MAX_HEAD 8192         /* request line and fields; longer: 431 */
#define HTTP_MAX_FIELDS 48         /* more: 431 */
#define HTTP_PATH_MAX 1024         /* the normalised path, with its NUL; longer: 414 */
#define HTTP_ETAG_MAX 128          /* If-None-Match kept; longer: ignored, as if absent */

enum http_method { HTTP_GET = 1, HTTP_HEAD, HTTP_PUT, HTTP_OTHER };

struct http_request {
    enum http_method method;
    unsigned minor;      /* HTTP/1.minor: 0 or 1 */
    bool keep_alive;     /* by the version's default and Connection */
    char path[HTTP_PATH_MAX]; /* "/"-rooted, decoded, no "." or ".." or empty segments */
    bool dir_slash;      /* the target ended in '/' */
    bool has_length;
    uint64_t content_length;
    bool chunked;        /* Transfer-Encoding: chunked (the body's framing) */
    bool expect_continue; /* Expect: 100-continue (any other expectation: 417) */
    bool has_range;      /* a single "bytes=" range; otherwise the whole */
    bool range_suffix;   /* "bytes=-N": the last range_last bytes */
    uint64_t range_first, range_last; /* range_last UINT64_MAX: to the end */
    char if_none_match[HTTP_ETAG_MAX]; /* "" if absent */
    bool has_if_modified_since;
    uint64_t if_modified_since; /* seconds since 1970 */
};

enum http_parse {
    HTTP_INCOMPLETE, /* the head has not ended yet: read more (within the limits) */
    HTTP_COMPLETE,   /* *out filled; *head_bytes of the input were the head */
    HTTP_BAD,        /* *status says why: 400, 414, 417, 431, 501 or 505 */
};

/* Parses the head of one request from the len bytes at in. */
enum http_parse http_parse_request(const char *in, size_t len, struct http_request *out,
                                   size_t *head_bytes, unsigned *status);

/* A byte range of a body of 'size' bytes: false if it cannot be met
 * (416); *first and *count otherwise. */
bool http_range_of(const struct http_request *r, uint64_t size, uint64_t *first, uint64_t *count);

/* "Sun, 06 Nov 1994 08:49:37 GMT" into out (30 bytes with the NUL). */
#define HTTP_DATE_BYTES 30
void http_format_date(uint64_t unix_seconds, char out[HTTP_DATE_BYTES]);
/* The three forms RFC 9110 says a recipient must accept; false if none fits. */
bool http_parse_date(const char *s, size_t len, uint64_t *unix_seconds);

/* The media type for a path, by its extension (application/octet-stream
 * if unknown). */
const char *http_mime_type(const char *path);

/* ---- responses ---- */

#define HTTP_ETAG_BYTES 40 /* "\"<size hex>-<mtime hex>\"" and its NUL */

/* A strong validator of a file: its size and modification time. */
void http_etag(uint64_t size, uint64_t mtime, char out[HTTP_ETAG_BYTES]);
/* Does the request's If-None-Match (a list, or "*") name etag, or, without
 * one, is the file unmodified since If-Modified-Since? (304) */
bool http_not_modified(const struct http_request *r, const char *etag, uint64_t mtime);
/* "Not Found" for 404; "" for a code this server does not send. */
const char *http_reason(unsigned code);

/* What a response head says. Fields left 0 or NULL are left out. */
struct http_response {
    unsigned code;
    const char *content_type;
    bool has_length;
    uint64_t length;           /* Content-Length */
    uint64_t mtime;            /* Last-Modified, if has_mtime */
    bool has_mtime;
    const char *etag;
    bool ranged;               /* 206: Content-Range first-last/total */
    uint64_t range_first, range_count, total;
    bool unsatisfiable;        /* 416: Content-Range bytes * /total */
    bool keep_alive;
    const char *allow;         /* 405 */
    const char *location;      /* 301: a path, percent-encoded on the way out */
    uint64_t now;              /* Date */
};
/* Room enough for any head this library makes: a Location is a path
 * percent-encoded, three bytes for each of its bytes at worst. */
#define HTTP_RESPONSE_HEAD_MAX (3 * HTTP_PATH_MAX + 512)
#define HTTP_PAGE_MAX 512 /* an error page */
/* The head (status line, fields, the empty line) into out; its length, or
 * 0 if it does not fit in cap bytes. */
size_t http_format_head(const struct http_response *r, char *out, size_t cap);
/* A short HTML page for an error code into out; its length (0: no room). */
size_t http_error_page(unsigned code, char *out, size_t cap);
/* A directory listing's line for name (UTF-8, any bytes) into out: the
 * name percent-encoded in the link and HTML-escaped in the text; its
 * length (0: no room). */
size_t http_listing_line(const char *name, bool dir, uint64_t size, char *out, size_t cap);

/* A listing page's start for directory dir ("/" or "/a/b", no trailing
 * '/'): the title and heading, escaped, and a "../" line below the root;
 * its length (0: no room). */
size_t http_listing_start(const char *dir, char *out, size_t cap);

/* The page's end, saying how many entries (omitted) found no room; its
 * length, at most HTTP_LISTING_END_MAX (0: no room). */
#define HTTP_LISTING_END_MAX 80
size_t http_listing_end(uint64_t omitted, char *out, size_t cap);

#endif

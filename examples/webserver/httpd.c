/*
 * An HTTP/1.1 server on lwIP's raw API, serving the FAT disk's files
 * through the file-system protocol. Every file operation is asynchronous
 * (fs_submit), so a connection waiting for the disk never holds up the
 * others. GET and HEAD, keep-alive and pipelined requests,
 * Content-Length, Range (206, 416), ETag with If-None-Match and
 * Last-Modified with If-Modified-Since (304), media types by extension,
 * index.html for a directory (a 301 adds a missing '/') or else a listing
 * of its entries (as many as the slot holds), and short HTML
 * pages for every error status. PUT stores a file under /upload/. /status
 * and /status.json show the uptime, this server's counters and the
 * statistics of each PD the system's <stats reader="httpd"> lists, asked
 * afresh for each request. Requests are parsed and checked by lib/http,
 * which never lets a path climb above the disk's root. A file streams
 * through the connection's slot of the shared region: memory per
 * connection is fixed.
 *
 * Channels: 0 the timer (lwIP's timeouts), 1..3 the network (net/config.h),
 * 8 the RTC (dates), FS_CH the file server (fs/config.h), and from
 * STATS_READER_FIRST_CH on the PDs /status asks (pride/stats_reader.h).
 */
#include <microkit.h>
#include <stdio.h>
#include <string.h>
#include <pride_netif.h>
#include <fs/client.h>
#include <fs/config.h>
#include <rtc/client.h>
#include <timer/client.h>
#include "lwip/init.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#include <net/config.h>
#include <pride/stats.h>
#include "../../lib/http/http.h"
#include "../../lib/http/status_page.h"

#define TIMER 0
#define HTTP_PORT 80
#define TICK_NS 50000000ull
#define MAX_CONNECTIONS TCP_FULL_SENDERS /* lwipopts.h sizes its memory for them */
#define POLL_INTERVAL 4   /* lwIP polls every 4 coarse ticks: 2 s */
#define IDLE_POLLS 5      /* 10 s without progress: 408 mid-request, else closed */
#define MAX_SLOT 32768    /* a connection's share of the shared data region */
#define HTML "text/html; charset=utf-8"
#define INDEX "/index.html"
#define PATH_ROOM (HTTP_PATH_MAX + sizeof(INDEX)) /* a path, and INDEX after it */

PRIDE_CONFIG(struct net_client_config, net_client_config, NET_CLIENT_MAGIC, NET_CONFIG_VERSION);
PRIDE_CONFIG(struct stats_reader_config, stats_reader_config, STATS_READER_MAGIC,
             STATS_READER_CONFIG_VERSION);

/* ---- state ---- */

enum stage { FREE, READING, WORKING, SENDING };

struct conn;
typedef void (*then_fn)(struct conn *c, const struct fs_completion *done);

struct conn {
    struct tcp_pcb *pcb;
    enum stage stage;
    unsigned generation; /* a new one for each life of the slot: late answers see it */
    char in[HTTP_MAX_HEAD];
    size_t in_len;
    struct http_request req;
    char etag[HTTP_ETAG_BYTES];  /* the file's, for its head */
    char out[HTTP_RESPONSE_HEAD_MAX + HTTP_PAGE_MAX]; /* the staged head (and page) */
    uint32_t out_len, out_sent;
    uint8_t *slot;
    uint64_t slot_offset;
    bool open, keep_alive, index_tried;
    uint32_t handle;
    struct fs_stat stat;
    uint64_t left;                  /* file bytes still to read */
    uint64_t next;                  /* the file offset of the next read */
    uint32_t chunk_len, chunk_sent; /* in the slot */
    uint32_t listed;                /* a listing's bytes so far, in the slot */
    uint64_t entries, omitted;      /* a listing's entries read, and those without room */
    unsigned idle;
    char path[PATH_ROOM];
    /* an upload (PUT): its body gathers in the slot from UPLOAD_DATA on */
    bool uploading, replacing;
    uint64_t body_left;     /* body bytes still to come in */
    uint64_t stored;        /* of the body, written to the file */
    uint32_t fill, writing; /* body bytes in the slot; of them, in the write in flight */
    uint32_t credited;      /* of fill, those that came before the body (window given back) */
    unsigned refusal;       /* the status a failed upload is answered with */
    /* the one file-system command in flight (or waiting for room) */
    bool fs_busy, waiting;
    struct fs_command waiting_cmd;
    unsigned asked_generation;
    uint32_t asked_op;
    then_fn then;
};

static const struct net_client_config *config;
static const struct stats_reader_config *stats_config; /* the PDs /status shows */
static struct pride_netif pn;
static struct netif netif;
static struct conn conns[MAX_CONNECTIONS];
static uint32_t slot_bytes;
static struct http_counters counters; /* shown by /status */

static void advance(struct conn *c);
static void finish(struct conn *c);
static void send_response(struct conn *c, uint64_t body);

/* ---- the file system ---- */

/* Commands the queue had no room for wait here, oldest first, and go when
 * answers have made room: a connection's one command, and the handles of
 * closed connections (each connection holds at most one). */
static struct conn *waiting[MAX_CONNECTIONS];
static unsigned waiting_count;
static uint32_t closes[FS_MAX_OPEN]; /* open on the server: no more than it allows */
static unsigned closes_count;

static void ignore_answer(void *ctx, const struct fs_completion *done)
{
    (void)ctx, (void)done;
}

static bool submit_close(uint32_t handle)
{
    struct fs_command close = {.op = FS_CLOSE, .handle = handle};
    return fs_submit(&close, ignore_answer, NULL);
}

static void close_handle(uint32_t handle)
{
    if (!submit_close(handle) && closes_count < FS_MAX_OPEN)
        closes[closes_count++] = handle;
}

/* c's waiting command, if it has one, is not to go any more. */
static void stop_waiting(struct conn *c)
{
    for (unsigned i = 0; c->waiting && i < waiting_count; i++)
        if (waiting[i] == c) {
            memmove(waiting + i, waiting + i + 1, (waiting_count - i - 1) * sizeof(waiting[0]));
            waiting_count--;
            c->waiting = c->fs_busy = false;
        }
}

static void answered(void *ctx, const struct fs_completion *done)
{
    struct conn *c = ctx;
    c->fs_busy = false;
    if (c->asked_generation != c->generation) { /* gone: let go of what it opened */
        if (c->asked_op == FS_OPEN && done->status == FS_OK)
            close_handle((uint32_t)done->value);
        return;
    }
    c->then(c, done);
}

/* The waiting commands, in order, as far as the queue takes them. */
static void submit_waiting(void)
{
    while (closes_count && submit_close(closes[closes_count - 1]))
        closes_count--;
    unsigned done = 0;
    while (done < waiting_count) {
        struct conn *c = waiting[done];
        if (!fs_submit(&c->waiting_cmd, answered, c))
            break;
        c->waiting = false;
        done++;
    }
    memmove(waiting, waiting + done, (waiting_count - done) * sizeof(waiting[0]));
    waiting_count -= done;
}

/* Sends cmd for c, or queues it to go when there is room; the answer
 * comes to then either way. */
static void ask(struct conn *c, struct fs_command cmd, then_fn then)
{
    cmd.data_offset += c->slot_offset;
    c->asked_generation = c->generation, c->asked_op = cmd.op, c->then = then;
    c->fs_busy = true;
    if (!waiting_count && fs_submit(&cmd, answered, c))
        return;
    c->waiting = true, c->waiting_cmd = cmd;
    waiting[waiting_count++] = c;
}

/* A command on c's path (copied into its slot). */
static void ask_path(struct conn *c, uint32_t op, uint32_t flags, then_fn then)
{
    size_t n = strlen(c->path);
    memcpy(c->slot, c->path, n);
    ask(c, (struct fs_command){.op = op, .flags = flags, .count = (uint32_t)n}, then);
}

/* ---- sending ---- */

static uint64_t now(void)
{
    uint64_t t;
    return rtc_now(&t) ? t : 0;
}

/* The response's head (and a page) into c's staging buffer, which pump
 * sends before any file bytes. */
static void stage_head(struct conn *c, struct http_response *r)
{
    r->now = now();
    r->keep_alive = c->keep_alive;
    http_count_response(&counters, r->code);
    c->out_len = (uint32_t)http_format_head(r, c->out, sizeof(c->out));
    c->out_sent = 0;
    if (!c->out_len)
        c->keep_alive = false; /* cannot happen with heads this server makes */
}

/* A response whose whole body is body[0..n) (left out for HEAD). */
static void respond_with(struct conn *c, struct http_response *r, const char *body, size_t n)
{
    stage_head(c, r);
    if (c->req.method != HTTP_HEAD && c->out_len + n <= sizeof(c->out))
        memcpy(c->out + c->out_len, body, n), c->out_len += (uint32_t)n;
    send_response(c, 0);
}

/* A response with no file behind it: a head, and a page if asked. */
static void respond(struct conn *c, struct http_response *r, bool page)
{
    char body[HTTP_PAGE_MAX];
    size_t n = page ? http_error_page(r->code, body, sizeof(body)) : 0;
    if (page)
        r->content_type = HTML, r->has_length = true, r->length = n;
    respond_with(c, r, body, n);
}

static void respond_error(struct conn *c, unsigned code)
{
    struct http_response r = {.code = code, .allow = code == 405 ? "GET, HEAD, PUT" : NULL};
    if (code == 400 || code == 408 || code == 411 || code == 413 || code == 414 || code == 417 ||
        code == 431 || code >= 500)
        c->keep_alive = false; /* the stream may not be trusted any more */
    respond(c, &r, true);
}

/* A file-system refusal as a status: what is not there (or cannot be
 * named on FAT) is 404, anything else the server's own trouble. */
static void status_error(struct conn *c, uint32_t status)
{
    bool missing = status == FS_ERR_NOT_FOUND || status == FS_ERR_NOT_DIR ||
                   status == FS_ERR_INVALID || status == FS_ERR_NAME;
    respond_error(c, missing ? 404 : 500);
}

#ifdef PRIDE_BENCH
#include <pride_debug.h>
#define INSNS_PATH "/pride-insns"

/* Benchmark builds answer INSNS_PATH with the retired-instruction counter
 * (modulo 2^32; it does not advance while the system idles). */
static bool answer_insns(struct conn *c)
{
    if (strcmp(c->req.path, INSNS_PATH))
        return false;
    char body[16];
    int n = snprintf(body, sizeof(body), "%lu", (unsigned long)pride_instructions_retired());
    struct http_response r = {.code = 200, .content_type = "text/plain", .has_length = true,
                              .length = (uint64_t)n};
    respond_with(c, &r, body, (size_t)n);
    return true;
}
#else
static bool answer_insns(struct conn *c)
{
    (void)c;
    return false;
}
#endif

/* A 200 whose body, n bytes of content_type, the slot holds (left out
 * for HEAD). */
static void respond_from_slot(struct conn *c, const char *content_type, uint32_t n)
{
    struct http_response r = {.code = 200, .content_type = content_type, .has_length = true,
                              .length = n};
    stage_head(c, &r);
    c->chunk_len = c->req.method == HTTP_HEAD ? 0 : n, c->chunk_sent = 0;
    send_response(c, 0);
}

/* ---- the status pages ---- */

#define STATUS_PATH "/status"
#define STATUS_JSON_PATH "/status.json"

static void take_record(void *ctx, unsigned index, const char *name, const struct pride_stats *s)
{
    if (index >= STATS_READER_MAX)
        return;
    struct status_pd *pd = &((struct status_page *)ctx)->pds[index];
    pd->answered = s != NULL;
    if (s)
        strcpy(pd->name, name), pd->stats = *s;
}

/* STATUS_PATH or STATUS_JSON_PATH: every listed PD asked now (a protected
 * call each), the page rendered into the slot and sent from there. */
static bool answer_status(struct conn *c)
{
    bool json = !strcmp(c->req.path, STATUS_JSON_PATH);
    if (!json && strcmp(c->req.path, STATUS_PATH))
        return false;
    static struct status_page page;
    page = (struct status_page){.uptime_ns = time_now_ns(), .counters = &counters,
                                .pd_count = stats_config->count};
    pride_stats_read_all(stats_config, take_record, &page);
    size_t n = (json ? status_page_json : status_page_html)(&page, (char *)c->slot, slot_bytes);
    if (!n) {
        respond_error(c, 500);
        return true;
    }
    respond_from_slot(c, json ? "application/json" : HTML, (uint32_t)n);
    return true;
}

/* ---- serving a file ---- */

static void on_read(struct conn *c, const struct fs_completion *done);

/* bytes[*sent..len) into the send buffer as far as there is room; true
 * once all are in. */
static bool push(struct conn *c, const void *bytes, uint32_t len, uint32_t *sent)
{
    while (*sent < len) {
        uint32_t n = len - *sent, room = tcp_sndbuf(c->pcb);
        n = n < room ? n : room;
        n = n < 0xffff ? n : 0xffff;
        if (!n || tcp_write(c->pcb, (const uint8_t *)bytes + *sent, (u16_t)n,
                            TCP_WRITE_FLAG_COPY) != ERR_OK)
            return false;
        *sent += n;
        counters.bytes_sent += n;
    }
    return true;
}

/* The staged head, then the slot's chunk, as far as there is room (the
 * sent callback calls again); then the next chunk asked for, or the end. */
static void pump(struct conn *c)
{
    if (!push(c, c->out, c->out_len, &c->out_sent) ||
        !push(c, c->slot, c->chunk_len, &c->chunk_sent)) {
        tcp_output(c->pcb);
        return;
    }
    if (c->fs_busy)
        return;
    if (!c->left) {
        finish(c);
        return;
    }
    uint32_t n = c->left < slot_bytes ? (uint32_t)c->left : slot_bytes;
    c->chunk_len = c->chunk_sent = 0;
    ask(c, (struct fs_command){.op = FS_READ, .handle = c->handle, .offset = c->next, .count = n},
        on_read);
}

/* The staged head goes out, then `body` bytes of the open file. */
static void send_response(struct conn *c, uint64_t body)
{
    c->stage = SENDING;
    c->left = body;
    pump(c);
}

static void on_read(struct conn *c, const struct fs_completion *done)
{
    if (done->status != FS_OK || !done->value || done->value > c->left) {
        c->keep_alive = false; /* the file failed or shrank under us: the length is a lie */
        finish(c);
        return;
    }
    c->chunk_len = (uint32_t)done->value, c->chunk_sent = 0;
    c->left -= done->value, c->next += done->value;
    pump(c);
}

/* The open file's response by the request's conditions: 304, 416, 206 or
 * 200 (the handle is closed when the response is out). */
static void serve_file(struct conn *c)
{
    uint64_t first, count;
    http_etag(c->stat.size, c->stat.mtime, c->etag);
    struct http_response r = {.code = 200, .content_type = http_mime_type(c->path),
                              .has_length = true, .has_mtime = true, .mtime = c->stat.mtime,
                              .etag = c->etag};
    if (http_not_modified(&c->req, c->etag, c->stat.mtime)) {
        r.code = 304, r.content_type = NULL, r.has_length = false;
        respond(c, &r, false);
        return;
    }
    if (!http_range_of(&c->req, c->stat.size, &first, &count)) {
        r = (struct http_response){.code = 416, .unsatisfiable = true, .total = c->stat.size};
        respond(c, &r, true);
        return;
    }
    if (c->req.has_range)
        r.code = 206, r.ranged = true, r.range_first = first, r.range_count = count,
        r.total = c->stat.size;
    r.length = count;
    if (c->req.method == HTTP_HEAD || !count) {
        respond(c, &r, false);
        return;
    }
    c->next = first;
    stage_head(c, &r);
    send_response(c, count);
}

static void on_opened(struct conn *c, const struct fs_completion *done);

/* c's path opened, its status with it: one command, one walk of the path. */
static void open_path(struct conn *c)
{
    ask_path(c, FS_OPEN, FS_O_STAT, on_opened);
}

/* A directory: its index.html, once; a 301 first if its '/' is missing. */
static void serve_directory(struct conn *c)
{
    if (!c->req.dir_slash && strcmp(c->path, "/")) {
        char location[PATH_ROOM + 1];
        snprintf(location, sizeof(location), "%s/", c->path);
        struct http_response r = {.code = 301, .location = location};
        respond(c, &r, true);
        return;
    }
    size_t n = strlen(c->path);
    if (c->index_tried || n + sizeof(INDEX) > sizeof(c->path)) {
        respond_error(c, 404); /* "index.html" is a directory, or the name too long */
        return;
    }
    strcpy(c->path + (n > 1 ? n : 0), INDEX);
    c->index_tried = true;
    open_path(c);
}

/* ---- listing a directory without index.html ---- */

#define LISTING_MAX_ENTRIES 65536 /* FAT's most in a directory: a looped chain ends here */

static void on_listing_open(struct conn *c, const struct fs_completion *done);
static void on_listing_entry(struct conn *c, const struct fs_completion *done);

/* The entries' room in the slot: the page grows from its start, each
 * entry is read in after it, and the page's end is kept room for. */
static uint32_t dirent_at(void)
{
    return (slot_bytes - (uint32_t)sizeof(struct fs_dirent)) & ~7u;
}

static void list_directory(struct conn *c)
{
    c->path[strlen(c->path) - (sizeof(INDEX) - 1)] = 0;
    if (!c->path[0])
        strcpy(c->path, "/");
    ask_path(c, FS_OPEN, FS_O_DIRECTORY, on_listing_open);
}

static void read_entry(struct conn *c)
{
    ask(c, (struct fs_command){.op = FS_READDIR, .handle = c->handle, .offset = c->next,
                               .data_offset = dirent_at()},
        on_listing_entry);
}

static void on_listing_open(struct conn *c, const struct fs_completion *done)
{
    if (done->status != FS_OK) {
        status_error(c, done->status);
        return;
    }
    c->open = true, c->handle = (uint32_t)done->value;
    c->listed = (uint32_t)http_listing_start(c->path, (char *)c->slot, dirent_at() - HTTP_LISTING_END_MAX);
    c->next = c->entries = c->omitted = 0;
    read_entry(c);
}

/* The page so far as the response; the directory closed. */
static void send_listing(struct conn *c)
{
    close_handle(c->handle);
    c->open = false;
    c->listed += (uint32_t)http_listing_end(c->omitted, (char *)c->slot + c->listed, HTTP_LISTING_END_MAX);
    respond_from_slot(c, HTML, c->listed);
}

/* One entry: its line, unless hidden ('.', '..' and names like them). */
static void on_listing_entry(struct conn *c, const struct fs_completion *done)
{
    if (done->status != FS_OK || !c->listed) {
        c->keep_alive = false;
        respond_error(c, 500); /* (the handle is closed with the response) */
        return;
    }
    if (!done->value || ++c->entries > LISTING_MAX_ENTRIES) {
        send_listing(c);
        return;
    }
    struct fs_dirent e; /* a copy, ended: the server shares the slot */
    memcpy(&e, c->slot + dirent_at(), sizeof(e));
    e.name[FS_NAME_MAX] = 0;
    if (e.name[0] != '.') {
        size_t n = http_listing_line(e.name, e.stat.mode == FS_MODE_DIR, e.stat.size,
                                     (char *)c->slot + c->listed,
                                     dirent_at() - HTTP_LISTING_END_MAX - c->listed);
        c->listed += (uint32_t)n;
        c->omitted += !n;
    }
    c->next = done->value2;
    read_entry(c);
}

/* A file is served; a directory is let go, and its index looked for. */
static void on_opened(struct conn *c, const struct fs_completion *done)
{
    if (done->status == FS_ERR_NOT_FOUND && c->index_tried) {
        list_directory(c);
        return;
    }
    if (done->status != FS_OK) {
        status_error(c, done->status);
        return;
    }
    c->open = true, c->handle = (uint32_t)done->value;
    memcpy(&c->stat, c->slot, sizeof(c->stat));
    if (c->stat.mode != FS_MODE_DIR) {
        serve_file(c);
        return;
    }
    close_handle(c->handle);
    c->open = false;
    serve_directory(c);
}

/* ---- storing an upload (PUT) ---- */

#define UPLOAD_DIR "/upload/"
#define UPLOAD_DATA 4096 /* the body's place in the slot: paths go before it */
#define TEMP_NAME ".put-" /* and the connection's number: two uploads never share one */
#ifndef HTTPD_UPLOAD_LIMIT
#define HTTPD_UPLOAD_LIMIT (16u << 20) /* bytes; make ... UPLOAD_LIMIT=n */
#endif

static void on_upload_stat(struct conn *c, const struct fs_completion *done);
static void on_upload_open(struct conn *c, const struct fs_completion *done);
static void on_upload_write(struct conn *c, const struct fs_completion *done);
static void on_upload_closed(struct conn *c, const struct fs_completion *done);
static void on_upload_renamed(struct conn *c, const struct fs_completion *done);
static void on_failed_closed(struct conn *c, const struct fs_completion *done);
static void on_failed_removed(struct conn *c, const struct fs_completion *done);

static void upload_dir_made(struct conn *c, const struct fs_completion *done)
{
    (void)c, (void)done; /* there already, or a read-only disk: uploads will say */
}

/* The upload directory, through c's slot before c serves anyone. */
static void make_upload_dir(struct conn *c)
{
    strcpy(c->path, UPLOAD_DIR);
    c->path[strlen(UPLOAD_DIR) - 1] = 0; /* no trailing '/' */
    ask_path(c, FS_MKDIR, 0, upload_dir_made);
}

/* "/upload/<name>": one name, not hidden (TEMP_NAME is), not a directory. */
static bool upload_target(const struct http_request *r)
{
    size_t n = strlen(UPLOAD_DIR);
    const char *name = r->path + n;
    return !strncmp(r->path, UPLOAD_DIR, n) && *name && *name != '.' && !strchr(name, '/') &&
           !r->dir_slash;
}

/* The upload's temporary path at the start of the slot; its length. */
static uint32_t put_temp_path(const struct conn *c)
{
    return (uint32_t)snprintf((char *)c->slot, PATH_ROOM, UPLOAD_DIR TEMP_NAME "%u",
                              (unsigned)(c - conns));
}

static void refuse_upload(struct conn *c, unsigned code)
{
    c->uploading = false;
    c->keep_alive = false; /* the body is not read */
    respond_error(c, code);
}

/* Body bytes into the slot after what is there. */
static void take_body(struct conn *c, const void *bytes, uint32_t n)
{
    memcpy(c->slot + UPLOAD_DATA + c->fill, bytes, n);
    c->fill += n, c->body_left -= n;
}

/* A PUT checked: its target, its framing and its size; then the body
 * that came with the head moved to the slot, and the target looked up. */
static void start_upload(struct conn *c)
{
    const struct http_request *r = &c->req;
    unsigned refusal = !upload_target(r) ? 403 : r->chunked || !r->has_length ? 411
                     : r->content_length > HTTPD_UPLOAD_LIMIT ? 413
                     : slot_bytes < UPLOAD_DATA + TCP_WND ? 503 : 0;
    if (refusal) {
        refuse_upload(c, refusal);
        return;
    }
    c->uploading = true, c->refusal = 0;
    c->body_left = r->content_length, c->stored = c->fill = c->writing = 0;
    uint32_t early = (uint32_t)(c->in_len < c->body_left ? c->in_len : c->body_left);
    take_body(c, c->in, early);
    c->credited = early;
    memmove(c->in, c->in + early, c->in_len - early);
    c->in_len -= early;
    if (r->expect_continue)
        tcp_write(c->pcb, "HTTP/1.1 100 Continue\r\n\r\n", 25, 0); /* lost: the client sends anyway */
    strcpy(c->path, r->path);
    ask_path(c, FS_STAT, 0, on_upload_stat);
}

static void on_upload_stat(struct conn *c, const struct fs_completion *done)
{
    if (done->status == FS_OK && ((const struct fs_stat *)c->slot)->mode == FS_MODE_DIR) {
        refuse_upload(c, 403);
        return;
    }
    c->replacing = done->status == FS_OK;
    uint32_t n = put_temp_path(c);
    ask(c, (struct fs_command){.op = FS_OPEN, .flags = FS_O_WRITE | FS_O_CREATE | FS_O_TRUNCATE,
                               .count = n},
        on_upload_open);
}

/* What a file-system refusal of an upload is told as. */
static unsigned upload_refusal(uint32_t status)
{
    return status == FS_ERR_NO_SPACE ? 507
         : status == FS_ERR_NAME || status == FS_ERR_INVALID ? 403 : 500;
}

static void on_abandoned(struct conn *c, const struct fs_completion *done);

/* A failed upload: its file closed and removed, then code. A command
 * still in flight is let finish first: a connection has one at a time,
 * or a late answer would be taken for the next command's. */
static void fail_upload(struct conn *c, unsigned code)
{
    c->refusal = code;
    c->keep_alive = false; /* the rest of the body is not read */
    if (c->fs_busy) {
        c->then = on_abandoned;
        return;
    }
    if (!c->open) {
        refuse_upload(c, c->refusal);
        return;
    }
    c->open = false;
    ask(c, (struct fs_command){.op = FS_CLOSE, .handle = c->handle}, on_failed_closed);
}

/* The answer to a command of an upload that has failed meanwhile. */
static void on_abandoned(struct conn *c, const struct fs_completion *done)
{
    if (c->asked_op == FS_OPEN && done->status == FS_OK)
        c->open = true, c->handle = (uint32_t)done->value;
    fail_upload(c, c->refusal);
}

static void on_failed_closed(struct conn *c, const struct fs_completion *done)
{
    (void)done;
    ask(c, (struct fs_command){.op = FS_UNLINK, .count = put_temp_path(c)}, on_failed_removed);
}

static void on_failed_removed(struct conn *c, const struct fs_completion *done)
{
    (void)done;
    refuse_upload(c, c->refusal);
}

/* The body in the slot to the file, whole pages while more is to come;
 * once all of it is there, the file closed. */
static void store_body(struct conn *c)
{
    if (c->fs_busy || !c->open)
        return; /* the file is still opening, or a write is under way */
    uint32_t n = c->body_left ? c->fill & ~(uint32_t)(UPLOAD_DATA - 1) : c->fill;
    if (n) {
        c->writing = n;
        ask(c, (struct fs_command){.op = FS_WRITE, .handle = c->handle, .offset = c->stored,
                                   .data_offset = UPLOAD_DATA, .count = n},
            on_upload_write);
    } else if (!c->body_left) {
        c->open = false;
        ask(c, (struct fs_command){.op = FS_CLOSE, .handle = c->handle}, on_upload_closed);
    }
}

static void on_upload_open(struct conn *c, const struct fs_completion *done)
{
    if (done->status != FS_OK) {
        fail_upload(c, upload_refusal(done->status));
        return;
    }
    c->open = true, c->handle = (uint32_t)done->value;
    store_body(c);
}

/* Written: the slot's rest moved up, and the window given back for what
 * left it (but for the bytes that came with the head, given back then). */
static void on_upload_write(struct conn *c, const struct fs_completion *done)
{
    if (done->status != FS_OK || done->value != c->writing) {
        fail_upload(c, upload_refusal(done->status == FS_OK ? FS_ERR_IO : done->status));
        return;
    }
    uint32_t n = c->writing, credited = n < c->credited ? n : c->credited;
    c->stored += n, c->fill -= n, c->writing = 0;
    memmove(c->slot + UPLOAD_DATA, c->slot + UPLOAD_DATA + n, c->fill);
    c->credited -= credited;
    tcp_recved(c->pcb, (u16_t)(n - credited));
    store_body(c);
}

/* Closed (its changes committed): the file takes the target's name. */
static void on_upload_closed(struct conn *c, const struct fs_completion *done)
{
    if (done->status != FS_OK) {
        fail_upload(c, upload_refusal(done->status));
        return;
    }
    uint32_t n = put_temp_path(c), target = (uint32_t)strlen(c->path);
    memcpy(c->slot + n, c->path, target);
    ask(c, (struct fs_command){.op = FS_RENAME, .count = n, .count2 = target}, on_upload_renamed);
}

static void on_upload_renamed(struct conn *c, const struct fs_completion *done)
{
    if (done->status != FS_OK) {
        fail_upload(c, upload_refusal(done->status));
        return;
    }
    c->uploading = false;
    struct http_response r = {.code = c->replacing ? 204 : 201};
    respond(c, &r, !c->replacing);
}

/* A segment of an upload's body (and perhaps the next request after it);
 * the window is given back only as the body reaches the disk. */
static err_t take_upload(struct conn *c, struct pbuf *p)
{
    uint32_t n = (uint32_t)(p->tot_len < c->body_left ? p->tot_len : c->body_left);
    if (UPLOAD_DATA + c->fill + n > slot_bytes)
        return ERR_MEM; /* beyond the window: a peer that ignores it waits */
    pbuf_copy_partial(p, c->slot + UPLOAD_DATA + c->fill, (u16_t)n, 0);
    c->fill += n, c->body_left -= n;
    uint32_t rest = p->tot_len - n, room = (uint32_t)(sizeof(c->in) - c->in_len);
    if (rest > room)
        c->keep_alive = false, rest = room; /* more pipelined than is kept: no more after this */
    pbuf_copy_partial(p, c->in + c->in_len, (u16_t)rest, (u16_t)n);
    c->in_len += rest;
    tcp_recved(c->pcb, (u16_t)(p->tot_len - n));
    pbuf_free(p);
    c->idle = 0;
    store_body(c);
    return ERR_OK;
}

/* ---- requests ---- */

static void start(struct conn *c)
{
    c->stage = WORKING;
    c->index_tried = false;
    if (c->req.method == HTTP_PUT) {
        start_upload(c);
        return;
    }
    if (c->req.method != HTTP_GET && c->req.method != HTTP_HEAD) {
        respond_error(c, 405);
        return;
    }
    if (c->req.chunked || (c->req.has_length && c->req.content_length))
        c->keep_alive = false; /* a body this server does not read: no request after it */
    if (answer_insns(c) || answer_status(c))
        return;
    strcpy(c->path, c->req.path);
    open_path(c);
}

/* Requests already in, one after another (pipelining), while the
 * connection is free to read one. */
static void advance(struct conn *c)
{
    static bool running[MAX_CONNECTIONS]; /* finish() calls back: no recursion */
    bool *busy = &running[c - conns];
    if (*busy)
        return;
    *busy = true;
    while (c->stage == READING && c->in_len) {
        size_t head;
        unsigned status;
        enum http_parse p = http_parse_request(c->in, c->in_len, &c->req, &head, &status);
        if (p == HTTP_INCOMPLETE && c->in_len < sizeof(c->in))
            break;
        c->keep_alive = p == HTTP_COMPLETE && c->req.keep_alive;
        if (p != HTTP_COMPLETE) {
            c->stage = WORKING;
            respond_error(c, p == HTTP_BAD ? status : 431);
            break;
        }
        memmove(c->in, c->in + head, c->in_len - head);
        c->in_len -= head;
        start(c);
    }
    *busy = false;
}

/* ---- connections ---- */

/* Nothing of a response is left to send: none of it may go out after
 * the response's end, nor on the slot's next connection. */
static void clear_response(struct conn *c)
{
    if (c->open)
        close_handle(c->handle);
    c->open = false;
    c->chunk_len = c->chunk_sent = 0, c->left = 0;
    c->out_len = c->out_sent = 0;
    c->uploading = false;
}

static void forget(struct conn *c)
{
    stop_waiting(c);
    clear_response(c);
    c->generation++;
    c->stage = FREE;
    c->pcb = NULL;
}

/* Let go of the connection: gracefully, or (abort) at once; true if
 * aborted (a callback must then answer ERR_ABRT). */
static bool drop(struct conn *c, bool abort)
{
    struct tcp_pcb *pcb = c->pcb;
    forget(c);
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    if (!abort && tcp_close(pcb) == ERR_OK)
        return false;
    tcp_abort(pcb);
    return true;
}

/* The response is out: the next request, or the close. */
static void finish(struct conn *c)
{
    clear_response(c);
    tcp_output(c->pcb);
    if (!c->keep_alive) {
        drop(c, false);
        return;
    }
    c->stage = READING;
    c->idle = 0;
    advance(c);
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct conn *c = arg;
    if (!c || err != ERR_OK) {
        if (p)
            tcp_recved(pcb, p->tot_len), pbuf_free(p);
        return ERR_OK;
    }
    if (!p) { /* the peer is done sending: answer what is under way, then close */
        c->keep_alive = false;
        if (c->stage == READING)
            drop(c, false);
        else if (c->uploading && c->body_left)
            fail_upload(c, 400); /* the body will never be whole */
        return ERR_OK;
    }
    if (c->uploading && !c->refusal)
        return take_upload(c, p);
    if (!c->keep_alive && c->stage != READING) { /* closing after this response: */
        tcp_recved(pcb, p->tot_len);              /* nothing more is read */
        pbuf_free(p);
        return ERR_OK;
    }
    size_t room = sizeof(c->in) - c->in_len;
    if (p->tot_len > room && c->stage != READING)
        return ERR_MEM; /* kept by lwIP and offered again: flow control */
    size_t n = p->tot_len < room ? p->tot_len : room;
    pbuf_copy_partial(p, c->in + c->in_len, (u16_t)n, 0);
    c->in_len += n;
    c->idle = 0;
    tcp_recved(pcb, p->tot_len);
    pbuf_free(p);
    advance(c);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    struct conn *c = arg;
    (void)pcb, (void)len;
    if (c) {
        c->idle = 0;
        if (c->stage == SENDING)
            pump(c);
    }
    return ERR_OK;
}

static void on_error(void *arg, err_t err)
{
    (void)err;
    if (arg)
        forget(arg); /* lwIP has freed the PCB */
}

/* Every 2 s: a connection idle too long is let go (408 mid-request). */
static err_t on_poll(void *arg, struct tcp_pcb *pcb)
{
    struct conn *c = arg;
    if (!c) {
        tcp_abort(pcb); /* its close failed before: now it goes */
        return ERR_ABRT;
    }
    if (++c->idle < IDLE_POLLS)
        return ERR_OK;
    if (c->stage == READING && c->in_len) {
        c->stage = WORKING;
        respond_error(c, 408);
        return ERR_OK;
    }
    return drop(c, c->stage != READING) ? ERR_ABRT : ERR_OK;
}

static void refuse(struct tcp_pcb *pcb)
{
    static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                               "Connection: close\r\n\r\n";
    if (tcp_write(pcb, busy, sizeof(busy) - 1, 0) == ERR_OK)
        http_count_response(&counters, 503), counters.bytes_sent += sizeof(busy) - 1;
    tcp_output(pcb);
    tcp_close(pcb);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    struct conn *c = NULL;
    for (unsigned i = 0; !c && i < MAX_CONNECTIONS; i++)
        if (conns[i].stage == FREE && !conns[i].fs_busy) /* (its slot may still be written) */
            c = &conns[i];
    if (!c) {
        refuse(pcb);
        return ERR_OK;
    }
    c->pcb = pcb, c->stage = READING, c->in_len = 0, c->idle = 0, c->open = false;
    tcp_arg(pcb, c);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_error);
    tcp_poll(pcb, on_poll, POLL_INTERVAL);
    return ERR_OK;
}

/* ---- entry points ---- */

static void announce(struct netif *n)
{
    static bool announced;
    if (announced || !netif_is_up(n) || ip4_addr_isany_val(*netif_ip4_addr(n)))
        return;
    announced = true;
    printf("%s: serving http on %s port %u\n", microkit_name, ip4addr_ntoa(netif_ip4_addr(n)),
           HTTP_PORT);
}

static void start_listening(void)
{
    uint64_t size;
    uint8_t *data = fs_data(&size);
    slot_bytes = (uint32_t)(size / MAX_CONNECTIONS < MAX_SLOT ? size / MAX_CONNECTIONS : MAX_SLOT);
    slot_bytes &= ~(uint32_t)511; /* sector-aligned: the device moves file data straight in */
    for (unsigned i = 0; i < MAX_CONNECTIONS; i++)
        conns[i].slot = data + (uint64_t)i * slot_bytes, conns[i].slot_offset = (uint64_t)i * slot_bytes;
    make_upload_dir(&conns[0]);
    struct tcp_pcb *tcp = tcp_new();
    /* lwIP makes room for a new connection by aborting an older one of
     * lower or equal priority; at the lowest there is none, so a storm of
     * connections waits for PCBs instead of cutting served ones short. */
    tcp_setprio(tcp, TCP_PRIO_MIN);
    tcp_bind(tcp, IP_ADDR_ANY, HTTP_PORT);
    tcp = tcp_listen(tcp);
    tcp_accept(tcp, on_accept);
}

void init(void)
{
    config = pride_config(&net_client_config);
    stats_config = pride_config(&stats_reader_config);
    timer_client_init(TIMER);
    fs_init();
    lwip_init();
    pride_netif_add(&pn, &netif, config);
    start_listening();
    netif_set_status_callback(&netif, announce);
    netif_set_up(&netif);
    time_set_timeout_ns(TICK_NS);
}

void notified(microkit_channel ch)
{
    if (ch == TIMER) {
        sys_check_timeouts();
        time_set_timeout_ns(TICK_NS);
    } else if (ch == FS_CH) {
        fs_notified(ch);
        submit_waiting();
    } else {
        pride_netif_notified(&netif);
    }
}

/*
 * pride: host build tool. Command line, output and error reporting, and the
 * small helpers every other file uses (arena allocation, file reading,
 * number parsing).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tool.h"

/* ---- output ---- */

/* The C-style escape of a byte that must not be printed as it is (made in
 * 'buf' if need be), or NULL for a byte printed unchanged: names, values and
 * paths from the input can then neither split a "file:line: message" line
 * nor send the terminal control sequences. */
static const char *c_escape(unsigned char c, char buf[static 5])
{
    switch (c) {
    case '\n': return "\\n";
    case '\t': return "\\t";
    case '\r': return "\\r";
    case '\\': return "\\\\";
    }
    if (c >= ' ' && c <= '~')
        return NULL;
    snprintf(buf, 5, "\\x%02x", c);
    return buf;
}

/* The entity for a byte that XML text and attribute values cannot hold. */
static const char *xml_entity(unsigned char c)
{
    switch (c) {
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '&': return "&amp;";
    case '"': return "&quot;";
    case '\'': return "&apos;";
    }
    return NULL;
}

/* Writes 's' escaped as c_escape() says and, for XML, with markup characters
 * as entities. XML needs the C-style escapes too: XML 1.0 cannot hold most
 * control characters, not even as character references. */
static void put_escaped_as(FILE *f, const char *s, bool xml)
{
    char buf[5];
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *esc = xml ? xml_entity(c) : NULL;
        if (!esc)
            esc = c_escape(c, buf);
        if (esc)
            fputs(esc, f);
        else
            fputc(c, f);
    }
}

static void put_escaped(FILE *f, const char *s)
{
    put_escaped_as(f, s, false);
}

void put_xml_text(FILE *f, const char *s)
{
    put_escaped_as(f, s, true);
}

size_t escaped_width(const char *s)
{
    char buf[5];
    size_t width = 0;
    for (; *s; s++) {
        const char *esc = c_escape((unsigned char)*s, buf);
        width += esc ? strlen(esc) : 1;
    }
    return width;
}

static void vput_escaped(FILE *f, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    /* plain malloc: the arena's own failures are reported through here */
    char *text = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (text) {
        vsnprintf(text, (size_t)n + 1, fmt, again);
        put_escaped(f, text);
        free(text);
    } else {
        fputs("(message too long to print)", f);
    }
    va_end(again);
}

void print_line(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vput_escaped(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

/* ---- errors ---- */

static const char *error_file = "pride";

void set_error_file(const char *path)
{
    error_file = path;
}

/* One error, then exit: the first problem is reported, deterministically. */
_Noreturn void fail_at(int line, const char *fmt, ...)
{
    va_list ap;
    put_escaped(stderr, error_file);
    fprintf(stderr, ":%d: ", line);
    va_start(ap, fmt);
    vput_escaped(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

_Noreturn void fail_path(const char *path, const char *fmt, ...)
{
    va_list ap;
    put_escaped(stderr, path);
    fputs(": ", stderr);
    va_start(ap, fmt);
    vput_escaped(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

/* ---- arena: every allocation is freed at exit, so errors never leak ---- */

/* Small allocations are carved from blocks of ARENA_BLOCK bytes: a .system
 * file with 100,000 elements makes millions of them, and one malloc each
 * would cost more in headers than the data. The sanitizer build gives every
 * allocation its own block instead, so that ASan sees overruns between them. */
#define ARENA_BLOCK 0x10000
#ifdef __SANITIZE_ADDRESS__
#define ARENA_SMALL 0
#else
#define ARENA_SMALL (ARENA_BLOCK / 16)
#endif

struct block {
    struct block *next;
    max_align_t data[];
};

static struct block *arena;
static unsigned char *arena_next; /* free part of the newest small block */
static size_t arena_left;

static void arena_free(void)
{
    while (arena) {
        struct block *next = arena->next;
        free(arena);
        arena = next;
    }
}

static void *new_block(size_t bytes)
{
    struct block *b = calloc(1, sizeof(*b) + bytes);
    if (!b)
        fail_path("pride", "out of host memory");
    b->next = arena;
    arena = b;
    return b->data;
}

void *xcalloc(size_t n, size_t size)
{
    const size_t align = sizeof(max_align_t);
    if (size && n > (SIZE_MAX - sizeof(struct block) - align) / size)
        fail_path("pride", "allocation too large");
    /* rounded up to keep every allocation aligned, and never empty */
    size_t bytes = n * size == 0 ? align : (n * size + align - 1) & ~(align - 1);
    if (bytes > ARENA_SMALL)
        return new_block(bytes);
    if (bytes > arena_left) {
        arena_next = new_block(ARENA_BLOCK);
        arena_left = ARENA_BLOCK;
    }
    void *p = arena_next;
    arena_next += bytes;
    arena_left -= bytes;
    return p;
}

char *xstrdup(const char *s)
{
    size_t len = strlen(s);
    char *copy = xcalloc(len + 1, 1);
    memcpy(copy, s, len);
    return copy;
}

/* The first 'n' bytes of 'a' followed by all of 'b'. */
char *xconcat(const char *a, size_t n, const char *b)
{
    size_t len_b = strlen(b);
    char *out = xcalloc(n + len_b + 1, 1);
    memcpy(out, a, n);
    memcpy(out + n, b, len_b);
    return out;
}

uint8_t *read_file(const char *path, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return NULL;
    if (!S_ISREG(st.st_mode)) {
        errno = EISDIR;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = xcalloc((size_t)st.st_size + 1, 1);
    size_t got = fread(buf, 1, (size_t)st.st_size, f);
    int err = ferror(f);
    fclose(f);
    if (err || got != (size_t)st.st_size) {
        errno = EIO;
        return NULL;
    }
    *len = got;
    return buf;
}

/* ---- numbers ---- */

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return 99;
}

const char *parse_u64(const char *text, uint64_t *out)
{
    const char *p = text;
    unsigned base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    uint64_t value = 0;
    int digits = 0;
    for (; *p; p++) {
        if (*p == '_') {
            /* separators only between digits: "1_000", not "_1" or "1__0" */
            if (!digits || p[1] == '_' || p[1] == '\0')
                return "misplaced '_' in number";
            continue;
        }
        unsigned d = (unsigned)digit_value(*p);
        if (d >= base)
            return "not a number";
        if (value > (UINT64_MAX - d) / base)
            return "number too large";
        value = value * base + d;
        digits++;
    }
    if (!digits)
        return "not a number";
    *out = value;
    return NULL;
}

/* ---- command line ---- */

static _Noreturn void usage(void)
{
    fprintf(stderr,
            "usage: pride check <file.system>\n"
            "       pride build <file.system> -o <image.elf> [--kernel <kernel.elf>]\n"
            "                   [--verbose] [--one-core] [search-dir...]\n"
            "       pride graph <file.system> -o <diagram.svg>\n"
            "       pride lower <file.system>\n"
            "       pride cores <file.system>\n");
    exit(2);
}

/* The kernel normally sits next to the tool: <bindir>/../kernel/kernel.elf. */
static const char *default_kernel(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    if (!slash)
        return "../kernel/kernel.elf";
    return xconcat(argv0, (size_t)(slash - argv0), "/../kernel/kernel.elf");
}

static int cmd_build(int argc, char **argv, const char *argv0)
{
    const char *system_path = NULL, *out = NULL;
    struct build_opts opts = { .kernel_path = default_kernel(argv0) };
    const char **dirs = xcalloc((size_t)argc, sizeof(*dirs));
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--kernel")) {
            if (i + 1 >= argc)
                usage();
            if (argv[i][1] == 'o')
                out = argv[++i];
            else
                opts.kernel_path = argv[++i];
        } else if (!strcmp(argv[i], "--verbose")) {
            opts.verbose = true;
        } else if (!strcmp(argv[i], "--one-core")) {
            opts.one_core = true;
        } else if (argv[i][0] == '-') {
            usage();
        } else if (!system_path) {
            system_path = argv[i];
        } else {
            dirs[opts.ndirs++] = argv[i];
        }
    }
    if (!system_path || !out)
        usage();
    opts.dirs = dirs;
    struct system *sys = system_load(system_path);
    struct image img = { 0 };
    layout_build(sys, &opts, &img);
    image_write(&img, out);
    return 0;
}

static int cmd_graph(int argc, char **argv)
{
    const char *system_path = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "-o") && i + 1 < argc)
            out = argv[++i];
        else if (argv[i][0] == '-' || system_path)
            usage();
        else
            system_path = argv[i];
    }
    if (!system_path || !out)
        usage();
    graph_write(system_load(system_path), out);
    return 0;
}

/* The one argument of the commands that take only a .system file. */
static const char *only_file(int argc, char **argv)
{
    if (argc != 3 || argv[2][0] == '-')
        usage();
    return argv[2];
}

/* How many cores the system needs: one more than its highest cpu (make
 * run starts QEMU with that many). */
static unsigned cores_used(const struct system *sys)
{
    unsigned cores = 1;
    for (size_t i = 0; i < sys->npds; i++)
        if (sys->pds[i]->cpu + 1 > cores)
            cores = sys->pds[i]->cpu + 1;
    return cores;
}

int main(int argc, char **argv)
{
    atexit(arena_free);
    if (argc < 2)
        usage();
    if (!strcmp(argv[1], "check")) {
        system_load(only_file(argc, argv));
        return 0;
    }
    if (!strcmp(argv[1], "lower")) {
        xml_write(stdout, system_load(only_file(argc, argv))->tree);
        return 0;
    }
    if (!strcmp(argv[1], "cores")) {
        printf("%u\n", cores_used(system_load(only_file(argc, argv))));
        return 0;
    }
    if (!strcmp(argv[1], "build"))
        return cmd_build(argc - 2, argv + 2, argv[0]);
    if (!strcmp(argv[1], "graph"))
        return cmd_graph(argc - 2, argv + 2);
    usage();
}

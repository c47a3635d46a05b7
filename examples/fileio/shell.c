/*
 * A small shell on the serial console over the FAT file system, written
 * as an ordinary C program: POSIX calls and stdio (lib/fs) in the PD's
 * program coroutine, which waits for typed characters, room on the
 * console and the file server while the PD stays event-driven.
 *
 * Commands: ls [DIR], cat FILE, write FILE TEXT, append FILE TEXT,
 * mkdir DIR, rm FILE, rmdir DIR, mv OLD NEW, stat PATH, df, sync, help.
 * Paths are from the root ("notes.txt" is "/notes.txt"); an argument with
 * spaces goes in double quotes; TEXT is the rest of the line. An error is
 * one line: "COMMAND: PATH: ENAME (description)".
 *
 * Channels: 4 and 5 the serial virtualisers (serial/config.h), FS_CH the
 * file-system server (fs/config.h).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <microkit.h>
#include <fs/client.h>
#include <pride/program.h>
#include <serial/client.h>

#define LINE_MAX 512
#define MAX_ARGS 3

static uint8_t buf[4096];

/* ---- the console ---- */

/* All of bytes to the console, waiting for room as it is needed. */
static void out(const char *bytes, size_t n)
{
    while (n) {
        size_t room = serial_write_space(n);
        if (!room) {
            pride_program_wait(); /* the TX virtualiser tells us when it made room */
            continue;
        }
        size_t put = serial_write(bytes, room < n ? room : n);
        bytes += put, n -= put;
    }
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[LINE_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    out(line, n < 0 ? 0 : (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

static int next_char(void)
{
    int c;
    while ((c = serial_getchar()) < 0)
        pride_program_wait();
    return c;
}

/* A typed line, echoed, with backspace; without its end. */
static void read_line(char *line)
{
    unsigned n = 0;
    for (int c; (c = next_char()) != '\r' && c != '\n';) {
        if ((c == 0x7f || c == 8) && n) {
            n--;
            out("\b \b", 3);
        } else if (c >= 0x20 && c != 0x7f && n < LINE_MAX - 1) {
            line[n++] = (char)c;
            out(line + n - 1, 1);
        }
    }
    line[n] = 0;
    out("\n", 1);
}

/* ---- errors ---- */

static const char *errno_name(int e)
{
    static const struct {
        int value;
        const char *name;
    } names[] = {{ENOENT, "ENOENT"},     {EEXIST, "EEXIST"}, {ENOTDIR, "ENOTDIR"},
                 {EISDIR, "EISDIR"},     {ENOTEMPTY, "ENOTEMPTY"}, {ENOSPC, "ENOSPC"},
                 {EROFS, "EROFS"},       {EBADF, "EBADF"},   {EMFILE, "EMFILE"},
                 {EBUSY, "EBUSY"},       {EINVAL, "EINVAL"}, {ENAMETOOLONG, "ENAMETOOLONG"},
                 {EIO, "EIO"},           {ENODEV, "ENODEV"}};
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].value == e)
            return names[i].name;
    return "E?";
}

static void complain(const char *cmd, const char *path)
{
    int e = errno;
    say("%s: %s: %s (%s)\n", cmd, path, errno_name(e), strerror(e));
}

/* ---- commands ---- */

static void cmd_ls(const char *cmd, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) {
        complain(cmd, dir);
        return;
    }
    errno = 0;
    while ((e = readdir(d)))
        e->d_type == DT_DIR ? say("%12s  %s/\n", "<dir>", e->d_name)
                            : say("%12llu  %s\n", (unsigned long long)e->d_size, e->d_name);
    if (errno)
        complain(cmd, dir);
    closedir(d);
}

static void cmd_cat(const char *cmd, const char *path)
{
    int fd = open(path, O_RDONLY);
    ssize_t n;
    if (fd < 0) {
        complain(cmd, path);
        return;
    }
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        out((const char *)buf, (size_t)n);
    if (n < 0)
        complain(cmd, path);
    close(fd);
}

/* TEXT and a newline into path: replacing it, or at its end. */
static void cmd_put(const char *cmd, const char *path, const char *text, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | mode);
    size_t n = strlen(text);
    if (fd < 0 || write(fd, text, n) != (ssize_t)n || write(fd, "\n", 1) != 1)
        complain(cmd, path);
    if (fd >= 0 && close(fd))
        complain(cmd, path);
}

static void cmd_stat(const char *cmd, const char *path)
{
    struct stat st;
    char when[32];
    if (stat(path, &st)) {
        complain(cmd, path);
        return;
    }
    time_t t = st.st_mtime;
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", gmtime(&t));
    say("%s: %s, %lld bytes, modified %s UTC, cluster %ld bytes\n", path,
        S_ISDIR(st.st_mode) ? "directory" : "file", (long long)st.st_size, when,
        (long)st.st_blksize);
}

static void cmd_df(const char *cmd)
{
    struct fs_statfs s;
    if (fs_statfs(&s)) {
        complain(cmd, "/");
        return;
    }
    say("%llu KiB free of %llu KiB (%llu clusters of %llu bytes)\n",
        (unsigned long long)(s.free_blocks * s.block_size / 1024),
        (unsigned long long)(s.blocks * s.block_size / 1024), (unsigned long long)s.blocks,
        (unsigned long long)s.block_size);
}

/* ---- the command line ---- */

struct args {
    unsigned n;
    char word[MAX_ARGS][LINE_MAX];
    const char *rest; /* the line after the second word, for TEXT */
};

/* The next word of *p (double quotes keep spaces) into word. */
static bool next_word(const char **p, char *word)
{
    const char *s = *p;
    unsigned n = 0;
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    bool quoted = *s == '"';
    s += quoted;
    while (*s && (quoted ? *s != '"' : *s != ' ') && n < LINE_MAX - 2)
        word[n++] = *s++;
    s += quoted && *s == '"';
    word[n] = 0;
    *p = s;
    return true;
}

static void parse(const char *line, struct args *a)
{
    a->n = 0;
    a->rest = "";
    while (a->n < MAX_ARGS && next_word(&line, a->word[a->n])) {
        if (++a->n == 2) {
            a->rest = line + (*line == ' ');
            while (*a->rest == ' ')
                a->rest++;
        }
    }
}

/* A path from the root: "notes.txt" is "/notes.txt". */
static const char *path_of(char *word)
{
    static char paths[2][LINE_MAX + 1];
    static unsigned next;
    if (word[0] == '/')
        return word;
    char *p = paths[next++ % 2];
    p[0] = '/';
    strcpy(p + 1, word);
    return p;
}

static void help(void)
{
    say("commands: ls [DIR], cat FILE, write FILE TEXT, append FILE TEXT, mkdir DIR,\n"
        "  rm FILE, rmdir DIR, mv OLD NEW, stat PATH, df, sync\n");
}

/* Runs one command line. */
static void run(struct args *a)
{
    const char *c = a->word[0], *p = a->n > 1 ? path_of(a->word[1]) : "/";
    bool one = a->n == 2, two = a->n >= 2;
    if (!strcmp(c, "ls") && a->n <= 2)
        cmd_ls(c, p);
    else if (!strcmp(c, "cat") && one)
        cmd_cat(c, p);
    else if ((!strcmp(c, "write") || !strcmp(c, "append")) && two)
        cmd_put(c, p, a->rest, c[0] == 'w' ? O_TRUNC : O_APPEND);
    else if (!strcmp(c, "mkdir") && one)
        mkdir(p, 0755) ? complain(c, p) : (void)0;
    else if (!strcmp(c, "rm") && one)
        unlink(p) ? complain(c, p) : (void)0;
    else if (!strcmp(c, "rmdir") && one)
        rmdir(p) ? complain(c, p) : (void)0;
    else if (!strcmp(c, "mv") && a->n == 3)
        rename(p, path_of(a->word[2])) ? complain(c, p) : (void)0;
    else if (!strcmp(c, "stat") && one)
        cmd_stat(c, p);
    else if (!strcmp(c, "df") && a->n == 1)
        cmd_df(c);
    else if (!strcmp(c, "sync") && a->n == 1)
        fs_sync() ? complain(c, "/") : (void)0;
    else
        help();
}

static void shell(void)
{
    static char line[LINE_MAX];
    static struct args a;
    say("Pride fileio shell: type help\n");
    for (;;) {
        out("> ", 2);
        read_line(line);
        parse(line, &a);
        if (a.n)
            run(&a);
    }
}

void init(void)
{
    serial_client_init();
    fs_init();
    pride_program_start(shell);
}

void notified(microkit_channel ch)
{
    fs_notified(ch);
    pride_program_resume();
}

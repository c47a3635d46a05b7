/*
 * The file-system client library (fs/client.h): the asynchronous
 * interface over the <fs> queues, and POSIX calls on top of it that block
 * in the program coroutine (pride/program.h). Compiled with picolibc's
 * headers (lib/libc/libc.mk), since it defines picolibc's open, read...
 */
#define _DEFAULT_SOURCE /* POSIX names from picolibc headers (O_DIRECTORY...) */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fs/client.h>
#include <fs/config.h>
#include <pride/program.h>

#define FIRST_FD 3 /* 0..2 are the standard streams */
#define MAX_DIRS 8

PRIDE_CONFIG(struct fs_config, fs_client_config, FS_CLIENT_MAGIC, FS_CONFIG_VERSION);

static const struct fs_config *config;
static struct ring_producer commands;
static struct ring_consumer completions;
static uint8_t *data;

static struct {
    fs_callback done;
    void *ctx;
} pending[FS_QUEUE_CAPACITY];

struct file {
    bool used;
    bool append;
    uint32_t handle;
    uint64_t position;
};
static struct file files[FS_MAX_OPEN];

struct fs_dir {
    bool used;
    uint32_t handle;
    uint64_t position;
    struct dirent entry;
};
static struct fs_dir dirs[MAX_DIRS];

/* ---- the asynchronous interface ---- */

void fs_init(void)
{
    config = pride_config(&fs_client_config);
    data = (uint8_t *)(uintptr_t)config->data_vaddr;
    ring_producer_attach(&commands, (struct ring_shared *)(uintptr_t)config->commands,
                         FS_QUEUE_CAPACITY);
    ring_consumer_attach(&completions, (struct ring_shared *)(uintptr_t)config->completions,
                         FS_QUEUE_CAPACITY);
    ring_consumer_request_signal(&completions);
}

uint8_t *fs_data(uint64_t *size)
{
    *size = config->data_size;
    return data;
}

bool fs_submit(struct fs_command *c, fs_callback done, void *ctx)
{
    unsigned id = 0;
    while (id < FS_QUEUE_CAPACITY && pending[id].done)
        id++;
    c->id = id;
    if (id == FS_QUEUE_CAPACITY)
        return false;
    if (!fs_command_put(&commands, c)) {
        ring_producer_request_signal(&commands); /* the server tells us when it took some */
        if (!fs_command_put(&commands, c))
            return false;
    }
    pending[id].done = done, pending[id].ctx = ctx;
    if (ring_producer_must_signal(&commands))
        microkit_deferred_notify(FS_CH);
    return true;
}

void fs_notified(microkit_channel ch)
{
    struct fs_completion c;
    if (ch != FS_CH)
        return;
    do {
        while (fs_completion_take(&completions, &c) == 1) {
            if (c.id >= FS_QUEUE_CAPACITY || !pending[c.id].done)
                continue; /* not an answer to anything we asked */
            fs_callback done = pending[c.id].done;
            pending[c.id].done = NULL;
            done(pending[c.id].ctx, &c);
        }
    } while (!ring_consumer_may_sleep(&completions));
    if (ring_consumer_must_signal(&completions))
        microkit_deferred_notify(FS_CH); /* the server waits for room to answer */
}

/* ---- blocking calls ---- */

struct wait {
    bool done;
    struct fs_completion result;
};

static void wake(void *ctx, const struct fs_completion *done)
{
    struct wait *w = ctx;
    w->result = *done;
    w->done = true;
}

int fs_errno(enum fs_status status)
{
    static const uint8_t map[] = {
        [FS_OK] = 0, [FS_ERR_BAD_REQUEST] = EINVAL, [FS_ERR_NOT_FOUND] = ENOENT,
        [FS_ERR_EXISTS] = EEXIST, [FS_ERR_NOT_DIR] = ENOTDIR, [FS_ERR_IS_DIR] = EISDIR,
        [FS_ERR_NOT_EMPTY] = ENOTEMPTY, [FS_ERR_NO_SPACE] = ENOSPC, [FS_ERR_READ_ONLY] = EROFS,
        [FS_ERR_BAD_HANDLE] = EBADF, [FS_ERR_TOO_MANY] = EMFILE, [FS_ERR_BUSY] = EBUSY,
        [FS_ERR_INVALID] = EINVAL, [FS_ERR_NAME] = ENAMETOOLONG, [FS_ERR_IO] = EIO,
        [FS_ERR_NO_VOLUME] = ENODEV,
    };
    return status < sizeof(map) ? map[status] : EIO;
}

/* c sent and answered; -1 with errno on an error status. Only the program
 * may wait; a handler calling this gets EWOULDBLOCK. */
static int call(struct fs_command *c, struct fs_completion *out)
{
    struct wait w = {false, {0, 0, 0, 0}};
    if (!pride_in_program()) {
        errno = EWOULDBLOCK;
        return -1;
    }
    while (!fs_submit(c, wake, &w))
        pride_program_wait(); /* the queue is full: a completion will make room */
    while (!w.done)
        pride_program_wait();
    *out = w.result;
    errno = out->status ? fs_errno(out->status) : errno;
    return out->status ? -1 : 0;
}

/* A path (or two) into the data region for command c. */
static int put_paths(struct fs_command *c, const char *path, const char *second)
{
    size_t n = strlen(path), m = second ? strlen(second) : 0;
    if (n > FS_PATH_MAX || m > FS_PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(data, path, n);
    memcpy(data + n, second ? second : "", m);
    c->data_offset = 0, c->count = (uint32_t)n, c->count2 = (uint32_t)m;
    return 0;
}

static int path_call(uint32_t op, uint32_t flags, const char *path, const char *second,
                     struct fs_completion *out)
{
    struct fs_command c = {.op = op, .flags = flags};
    return put_paths(&c, path, second) ? -1 : call(&c, out);
}

static struct file *file_of(int fd)
{
    unsigned i = (unsigned)fd - FIRST_FD;
    if (fd < FIRST_FD || i >= FS_MAX_OPEN || !files[i].used) {
        errno = EBADF;
        return NULL;
    }
    return &files[i];
}

static int handle_call(uint32_t op, uint32_t handle, uint64_t offset, uint32_t count,
                       uint32_t flags, struct fs_completion *out)
{
    struct fs_command c = {.op = op, .handle = handle, .offset = offset, .count = count,
                           .flags = flags};
    return call(&c, out);
}

/* ---- POSIX ---- */

static uint32_t open_flags(int flags)
{
    int access = flags & O_ACCMODE;
    return (access != O_RDONLY ? FS_O_WRITE : 0) | (flags & O_CREAT ? FS_O_CREATE : 0) |
           (flags & O_EXCL ? FS_O_EXCL : 0) | (flags & O_TRUNC ? FS_O_TRUNCATE : 0) |
           (flags & O_DIRECTORY ? FS_O_DIRECTORY : 0);
}

int open(const char *path, int flags, ...)
{
    struct fs_completion done;
    unsigned i = 0;
    while (i < FS_MAX_OPEN && files[i].used)
        i++;
    if (i == FS_MAX_OPEN) {
        errno = EMFILE;
        return -1;
    }
    if (path_call(FS_OPEN, open_flags(flags), path, NULL, &done))
        return -1;
    files[i] = (struct file){true, flags & O_APPEND, (uint32_t)done.value, 0};
    return FIRST_FD + (int)i;
}

int close(int fd)
{
    struct file *f = file_of(fd);
    struct fs_completion done;
    if (!f)
        return -1;
    f->used = false;
    return handle_call(FS_CLOSE, f->handle, 0, 0, 0, &done);
}

/* The standard streams go to the debug console. */
static ssize_t console_write(const void *buf, size_t n)
{
    for (size_t i = 0; i < n; i++)
        microkit_dbg_putc(((const char *)buf)[i]);
    return (ssize_t)n;
}

ssize_t read(int fd, void *buf, size_t n)
{
    struct file *f = file_of(fd);
    size_t got = 0;
    while (f && got < n) {
        uint32_t chunk = n - got < config->data_size ? (uint32_t)(n - got) : (uint32_t)config->data_size;
        struct fs_completion done;
        if (handle_call(FS_READ, f->handle, f->position, chunk, 0, &done))
            return got ? (ssize_t)got : -1;
        memcpy((uint8_t *)buf + got, data, done.value);
        got += done.value, f->position += done.value;
        if (done.value < chunk)
            break; /* the end of the file */
    }
    return f ? (ssize_t)got : -1;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    if (fd == 1 || fd == 2)
        return console_write(buf, n);
    struct file *f = file_of(fd);
    size_t put = 0;
    while (f && put < n) {
        uint32_t chunk = n - put < config->data_size ? (uint32_t)(n - put) : (uint32_t)config->data_size;
        struct fs_completion done;
        memcpy(data, (const uint8_t *)buf + put, chunk);
        if (handle_call(FS_WRITE, f->handle, f->position, chunk, f->append ? FS_WRITE_APPEND : 0,
                        &done))
            return put ? (ssize_t)put : -1;
        put += done.value, f->position = done.value2;
        if (done.value < chunk)
            break; /* the disk is full: a short write */
    }
    return f ? (ssize_t)put : -1;
}

static void stat_from(const struct fs_stat *s, struct stat *out)
{
    memset(out, 0, sizeof(*out));
    out->st_mode = s->mode == FS_MODE_DIR ? S_IFDIR | 0755 : S_IFREG | 0644;
    out->st_size = (off_t)s->size;
    out->st_blksize = s->block_size;
    out->st_blocks = (blkcnt_t)((s->size + 511) / 512);
    out->st_nlink = 1;
    out->st_mtime = (time_t)s->mtime;
    out->st_atime = (time_t)s->mtime;
    out->st_ctime = (time_t)s->ctime;
}

int fstat(int fd, struct stat *out)
{
    struct file *f = file_of(fd);
    struct fs_completion done;
    struct fs_stat s;
    if (!f || handle_call(FS_FSTAT, f->handle, 0, 0, 0, &done))
        return -1;
    memcpy(&s, data, sizeof(s));
    stat_from(&s, out);
    return 0;
}

int stat(const char *path, struct stat *out)
{
    struct fs_completion done;
    struct fs_stat s;
    if (path_call(FS_STAT, 0, path, NULL, &done))
        return -1;
    memcpy(&s, data, sizeof(s)); /* the server copied the path out first */
    stat_from(&s, out);
    return 0;
}

off_t lseek(int fd, off_t offset, int whence)
{
    struct file *f = file_of(fd);
    struct stat st;
    if (!f || (whence == SEEK_END && fstat(fd, &st)))
        return -1;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->position : st.st_size;
    if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) || base + offset < 0) {
        errno = EINVAL;
        return -1;
    }
    f->position = (uint64_t)(base + offset);
    return (off_t)f->position;
}

int ftruncate(int fd, off_t length)
{
    struct file *f = file_of(fd);
    struct fs_completion done;
    if (f && length < 0) {
        errno = EINVAL;
        return -1;
    }
    return f ? handle_call(FS_TRUNCATE, f->handle, (uint64_t)length, 0, 0, &done) : -1;
}

int fsync(int fd)
{
    struct fs_completion done;
    struct file *f = file_of(fd);
    return f ? handle_call(FS_SYNC, f->handle, 0, 0, 0, &done) : -1;
}

int fs_sync(void)
{
    struct fs_completion done;
    return handle_call(FS_SYNC, 0, 0, 0, 0, &done);
}

int unlink(const char *path)
{
    struct fs_completion done;
    return path_call(FS_UNLINK, 0, path, NULL, &done);
}

int rmdir(const char *path)
{
    struct fs_completion done;
    return path_call(FS_RMDIR, 0, path, NULL, &done);
}

int mkdir(const char *path, mode_t mode)
{
    struct fs_completion done;
    (void)mode; /* FAT keeps no permissions */
    return path_call(FS_MKDIR, 0, path, NULL, &done);
}

int rename(const char *from, const char *to)
{
    struct fs_completion done;
    return path_call(FS_RENAME, 0, from, to, &done);
}

int fs_statfs(struct fs_statfs *out)
{
    struct fs_completion done;
    if (handle_call(FS_STATFS, 0, 0, 0, 0, &done))
        return -1;
    memcpy(out, data, sizeof(*out));
    return 0;
}

DIR *opendir(const char *path)
{
    struct fs_completion done;
    unsigned i = 0;
    while (i < MAX_DIRS && dirs[i].used)
        i++;
    if (i == MAX_DIRS) {
        errno = EMFILE;
        return NULL;
    }
    if (path_call(FS_OPEN, FS_O_DIRECTORY, path, NULL, &done))
        return NULL;
    dirs[i].used = true, dirs[i].handle = (uint32_t)done.value, dirs[i].position = 0;
    return &dirs[i];
}

struct dirent *readdir(DIR *d)
{
    struct fs_completion done;
    struct fs_dirent e;
    if (handle_call(FS_READDIR, d->handle, d->position, 0, 0, &done) || !done.value)
        return NULL;
    memcpy(&e, data, sizeof(e));
    e.name[FS_NAME_MAX] = 0;
    d->position = done.value2;
    d->entry.d_type = e.stat.mode == FS_MODE_DIR ? DT_DIR : DT_REG;
    d->entry.d_size = e.stat.size;
    memcpy(d->entry.d_name, e.name, strlen(e.name) + 1);
    return &d->entry;
}

int closedir(DIR *d)
{
    struct fs_completion done;
    d->used = false;
    return handle_call(FS_CLOSE, d->handle, 0, 0, 0, &done);
}

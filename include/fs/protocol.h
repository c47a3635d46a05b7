/*
 * The file-system protocol: a client sends commands on a command queue
 * and gets one completion for each on a completion queue, both on the
 * shared ring core (pride/ring.h), one page each; paths and file data
 * travel in a data region both map, named by offset and length. Several
 * commands may be outstanding; completions come in any order and carry
 * the command's id.
 *
 * Commands take paths (absolute, '/'-separated, UTF-8, at most
 * FS_PATH_MAX bytes, no NUL inside) or handles from OPEN. READ and WRITE
 * name the file offset themselves (the client keeps positions); WRITE
 * with FS_WRITE_APPEND writes at the end and says where that was.
 * Everything a client writes is checked (fs_command_check) before it is
 * followed: a bad command gets FS_ERR_BAD_REQUEST (or FS_ERR_NAME), the
 * server counts it (its statistics, pride/stats.h), and nothing else
 * happens.
 * Plain C11: builds for the host (tests) and AArch64.
 */
#ifndef FS_PROTOCOL_H
#define FS_PROTOCOL_H

#include <stdbool.h>
#include <stdint.h>
#include <pride/ring.h>

#define FS_QUEUE_REGION_SIZE 0x1000
#define FS_QUEUE_CAPACITY 32
#define FS_PATH_MAX 1023  /* bytes, without a terminator */
#define FS_NAME_MAX 765   /* bytes of one name (255 UTF-16 units as UTF-8) */
#define FS_MAX_OPEN 32    /* handles a server holds at once */

enum fs_op {
    FS_OPEN = 1,  /* path, flags -> value: handle (and with FS_O_STAT, struct fs_stat in data) */
    FS_CLOSE,     /* handle */
    FS_READ,      /* handle, offset, data -> value: bytes read (0 at the end) */
    FS_WRITE,     /* handle, offset, data, flags -> value: bytes, value2: offset after them */
    FS_TRUNCATE,  /* handle, offset: the new size */
    FS_SYNC,      /* every change on the device, and the device flushed (no handle needed) */
    FS_STAT,      /* path -> struct fs_stat in data */
    FS_FSTAT,     /* handle -> struct fs_stat in data */
    FS_UNLINK,    /* path */
    FS_MKDIR,     /* path */
    FS_RMDIR,     /* path */
    FS_RENAME,    /* path (count bytes), then the new path (count2 bytes) */
    FS_READDIR,   /* handle of a directory, offset: position -> struct fs_dirent in data,
                   * value: 1 (0 at the end), value2: the next position */
    FS_STATFS,    /* -> struct fs_statfs in data */
    FS_OP_LIMIT,
};

/* OPEN flags */
#define FS_O_WRITE 0x1     /* writing allowed through this handle */
#define FS_O_CREATE 0x2    /* a missing file is created */
#define FS_O_EXCL 0x4      /* with CREATE: the file must not exist */
#define FS_O_TRUNCATE 0x8  /* cut to 0 bytes (needs WRITE) */
#define FS_O_DIRECTORY 0x10 /* must be a directory (for READDIR) */
#define FS_O_STAT 0x20     /* the file's status answered in data, as STAT does: one command, not two */
#define FS_O_ALL 0x3f
/* WRITE flags */
#define FS_WRITE_APPEND 0x1

/* Completion status: errno's meanings (lib/fs maps them to errno). */
enum fs_status {
    FS_OK = 0,
    FS_ERR_BAD_REQUEST, /* unknown op, reserved bits, data outside the region (EINVAL) */
    FS_ERR_NOT_FOUND,   /* ENOENT */
    FS_ERR_EXISTS,      /* EEXIST */
    FS_ERR_NOT_DIR,     /* ENOTDIR */
    FS_ERR_IS_DIR,      /* EISDIR */
    FS_ERR_NOT_EMPTY,   /* ENOTEMPTY */
    FS_ERR_NO_SPACE,    /* ENOSPC: the disk, a full root directory, or a file's 4 GiB limit */
    FS_ERR_READ_ONLY,   /* EROFS */
    FS_ERR_BAD_HANDLE,  /* EBADF: no such handle, or not opened for writing */
    FS_ERR_TOO_MANY,    /* EMFILE: every handle in use */
    FS_ERR_BUSY,        /* EBUSY: removing or renaming an open file */
    FS_ERR_INVALID,     /* EINVAL: a directory into itself, "/" removed, a bad name */
    FS_ERR_NAME,        /* ENAMETOOLONG */
    FS_ERR_IO,          /* EIO: the device failed, or the volume is corrupt */
    FS_ERR_NO_VOLUME,   /* ENODEV: no FAT volume on the partition */
};

struct fs_command {
    uint32_t op, id;    /* id: the client's; echoed in the completion */
    uint32_t handle, flags;
    uint64_t offset;      /* in the file, a new size, or a directory position */
    uint64_t data_offset; /* of the data or path(s) in the data region */
    uint32_t count;       /* bytes of data, or of the (first) path */
    uint32_t count2;      /* bytes of RENAME's new path, right after the first */
};

struct fs_completion {
    uint32_t id, status; /* enum fs_status */
    uint64_t value, value2;
};

#define FS_MODE_DIR 1
#define FS_MODE_FILE 2

struct fs_stat {
    uint64_t size;
    uint64_t mtime, ctime; /* seconds since 1970, UTC (FAT: 2-second steps) */
    uint32_t mode;         /* FS_MODE_DIR or FS_MODE_FILE */
    uint32_t block_size;   /* the volume's cluster */
};

struct fs_dirent {
    struct fs_stat stat;
    char name[FS_NAME_MAX + 1]; /* NUL-terminated UTF-8 */
};

struct fs_statfs {
    uint64_t block_size, blocks, free_blocks;
};

_Static_assert(sizeof(struct fs_command) == 40, "no implicit padding");
_Static_assert(sizeof(struct ring_shared) + FS_QUEUE_CAPACITY * sizeof(struct fs_command) <=
                   FS_QUEUE_REGION_SIZE,
               "command queue must fit its region");
_Static_assert(sizeof(struct ring_shared) + FS_QUEUE_CAPACITY * sizeof(struct fs_completion) <=
                   FS_QUEUE_REGION_SIZE,
               "completion queue must fit its region");

/* Bytes of the data region a command reads or writes, from data_offset
 * (STAT's answer, and OPEN's with FS_O_STAT, takes the place of its path). */
static inline uint64_t fs_command_data_bytes(const struct fs_command *c)
{
    switch (c->op) {
    case FS_OPEN:
        if (!(c->flags & FS_O_STAT))
            return c->count;
        /* fall through */
    case FS_STAT:
        return c->count > sizeof(struct fs_stat) ? c->count : sizeof(struct fs_stat);
    case FS_FSTAT:
        return sizeof(struct fs_stat);
    case FS_READDIR:
        return sizeof(struct fs_dirent);
    case FS_STATFS:
        return sizeof(struct fs_statfs);
    case FS_RENAME:
        return (uint64_t)c->count + c->count2;
    default:
        return c->count;
    }
}

static inline bool fs_has_path(uint32_t op)
{
    return op == FS_OPEN || op == FS_STAT || op == FS_UNLINK || op == FS_MKDIR ||
           op == FS_RMDIR || op == FS_RENAME;
}

/* FS_OK if c may be followed as it is (data inside a region of data_size
 * bytes, path lengths in range, known flags), else the status to answer.
 * No sum here can overflow: each term is bounded first. */
static inline enum fs_status fs_command_check(const struct fs_command *c, uint64_t data_size)
{
    if (c->op < FS_OPEN || c->op >= FS_OP_LIMIT)
        return FS_ERR_BAD_REQUEST;
    uint32_t known = c->op == FS_OPEN ? FS_O_ALL : c->op == FS_WRITE ? FS_WRITE_APPEND : 0;
    if (c->flags & ~known)
        return FS_ERR_BAD_REQUEST;
    if (c->op != FS_RENAME && c->count2)
        return FS_ERR_BAD_REQUEST;
    if (fs_has_path(c->op) &&
        (!c->count || c->count > FS_PATH_MAX || (c->op == FS_RENAME && (!c->count2 || c->count2 > FS_PATH_MAX))))
        return c->count > FS_PATH_MAX || c->count2 > FS_PATH_MAX ? FS_ERR_NAME : FS_ERR_BAD_REQUEST;
    uint64_t bytes = fs_command_data_bytes(c);
    if (c->data_offset > data_size || bytes > data_size - c->data_offset)
        return FS_ERR_BAD_REQUEST;
    return FS_OK;
}

/* fs_command_put/_take and fs_completion_put/_take (pride/ring.h). */
RING_RECORD_QUEUE(fs_command, struct fs_command)
RING_RECORD_QUEUE(fs_completion, struct fs_completion)

#endif

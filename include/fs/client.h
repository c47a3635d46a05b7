/*
 * The file-system client library (lib/fs): the PD's end of the <fs>
 * element's queues (fs/protocol.h).
 *
 * Event-driven programs use the asynchronous interface: fs_submit a
 * command (paths and data placed in fs_data() by the caller), and the
 * callback runs, from fs_notified, when its completion arrives.
 *
 * Ordinary C code uses the POSIX calls (open read write lseek close stat
 * fstat unlink rename mkdir rmdir fsync ftruncate, from picolibc's
 * headers, and opendir readdir closedir below), with errno, and picolibc's
 * stdio on top (fopen fgets fprintf fclose...). They block, so they run in
 * the PD's program coroutine (pride/program.h): the call waits there
 * while the PD goes on handling events. They use the whole data region:
 * do not mix them with fs_submit of one's own.
 *
 * The PD calls fs_init() from init() and fs_notified(ch) from notified().
 * Channel: FS_CH (fs/config.h).
 */
#ifndef FS_CLIENT_H
#define FS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <microkit.h>
#include <fs/protocol.h>
#include <pride/program.h>

typedef void (*fs_callback)(void *ctx, const struct fs_completion *done);

void fs_init(void);
void fs_notified(microkit_channel ch);
/* The shared data region and its size. */
uint8_t *fs_data(uint64_t *size);
/* Sends c (its id is the library's); false if the command queue is full. */
bool fs_submit(struct fs_command *c, fs_callback done, void *ctx);

/* Directories: POSIX's names, since picolibc has none. */
struct dirent {
    unsigned char d_type; /* DT_DIR or DT_REG */
    uint64_t d_size;      /* bytes, for a file (an extension: one call less for ls) */
    char d_name[FS_NAME_MAX + 1];
};
#define DT_REG 8
#define DT_DIR 4
typedef struct fs_dir DIR;
DIR *opendir(const char *path);
struct dirent *readdir(DIR *d); /* NULL at the end (errno unchanged) or on error */
int closedir(DIR *d);

/* The volume: cluster size, clusters, free clusters (df), and a sync of
 * everything (sync(1)). 0 or -1 with errno. */
int fs_statfs(struct fs_statfs *out);
int fs_sync(void);
/* errno for a protocol status. */
int fs_errno(enum fs_status status);

/* The entry points of a PD that is a program on the file system and
 * nothing else: init starts main in the program coroutine, notified
 * passes completions on and lets the program go on. */
#define FS_PROGRAM_ENTRY_POINTS(main)                                                       \
    void init(void)                                                                        \
    {                                                                                      \
        fs_init();                                                                         \
        pride_program_start(main);                                                         \
    }                                                                                      \
    void notified(microkit_channel ch)                                                     \
    {                                                                                      \
        fs_notified(ch);                                                                   \
        pride_program_resume();                                                            \
    }

#endif

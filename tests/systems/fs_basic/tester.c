/*
 * The file-system workload of tests/fs, as ordinary C: POSIX calls and
 * stdio in the program coroutine. First every file of the volume is read
 * whole ("tester: PATH SIZE CRC32"); then the changes the host checks
 * afterwards with mtools and fsck.fat, each reported as "tester: STEP ok"
 * or with its errno; "tester: done" at the end.
 * Channel: FS_CH, the file-system server (fs/config.h).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <microkit.h>
#include <blk/partition.h> /* blk_crc32 */
#include <fs/client.h>
#include <pride/program.h>

#define MAX_DEPTH 8

static uint8_t buf[40000];

static void read_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    uint32_t crc = 0;
    long total = 0, n;
    if (fd < 0) {
        printf("tester: open %s: errno %d\n", path, errno);
        return;
    }
    while ((n = read(fd, buf, 4000)) > 0)
        crc = blk_crc32(crc, buf, (uint32_t)n), total += n;
    close(fd);
    printf("tester: %s %ld %08lx\n", path, total, (unsigned long)crc);
}

static void walk(const char *dir, unsigned depth)
{
    static char child[MAX_DEPTH][FS_PATH_MAX + 1];
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d) {
        printf("tester: opendir %s: errno %d\n", dir, errno);
        return;
    }
    while ((e = readdir(d)))
        if (depth < MAX_DEPTH) {
            snprintf(child[depth], sizeof(child[depth]), "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
            if (e->d_type == DT_DIR)
                walk(child[depth], depth + 1);
            else
                read_file(child[depth]);
        }
    closedir(d);
}

static void report(const char *step, int result)
{
    if (result < 0)
        printf("tester: %s errno %d\n", step, errno);
    else
        printf("tester: %s ok\n", step);
}

static int write_pattern(const char *path, uint32_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
    for (uint32_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + i / 251);
    for (uint32_t at = 0; fd >= 0 && at < size;) {
        uint32_t n = size - at < 7000 ? size - at : 7000;
        if (write(fd, buf + at % 20000, n) != (ssize_t)n)
            return -1;
        at += n;
    }
    return fd < 0 || fsync(fd) || close(fd) ? -1 : 0;
}

/* The one-cluster file cut to 1000 bytes. */
static int truncate_file(void)
{
    int fd = open("/onecluster.bin", O_WRONLY);
    return fd < 0 || ftruncate(fd, 1000) || close(fd) ? -1 : 0;
}

static void changes(void)
{
    FILE *f = fopen("/created.txt", "w");
    report("fopen", f ? 0 : -1);
    if (f) {
        fprintf(f, "made by pride %d\n", 42);
        report("fclose", fclose(f));
    }
    int fd = open("/created.txt", O_WRONLY | O_APPEND);
    report("append", fd >= 0 && write(fd, "second line\n", 12) == 12 && close(fd) == 0 ? 0 : -1);
    report("mkdir", mkdir("/New Folder", 0755));
    report("mkdir_again", mkdir("/New Folder", 0755)); /* EEXIST */
    report("rename", rename("/created.txt", "/New Folder/Renamed File.txt"));
    report("pattern", write_pattern("/New Folder/pattern.bin", 300000));
    report("unlink", unlink("/hello.txt"));
    report("unlink_missing", unlink("/hello.txt")); /* ENOENT */
    report("rmdir_full", rmdir("/dir1")); /* ENOTEMPTY */
    report("truncate", truncate_file());
    struct stat st;
    report("stat", stat("/New Folder/pattern.bin", &st));
    printf("tester: pattern size %ld dir %d\n", (long)st.st_size, S_ISDIR(st.st_mode));
    report("sync", fs_sync());
}

static void program(void)
{
    walk("/", 0);
    changes();
    printf("tester: done\n");
}

FS_PROGRAM_ENTRY_POINTS(program)

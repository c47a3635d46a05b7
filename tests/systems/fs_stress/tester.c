/*
 * File-system workloads for tests/fs that end badly on purpose, chosen by
 * the first word of /mode.txt on the volume:
 *  - "fill": write /fill.bin in 64 KiB calls until the disk is full, then
 *    try to grow anything at all; every answer is printed ("tester: fill
 *    BYTES errno E", "tester: STEP errno E"), then every file is read back.
 *  - "power": write, fsync and replace files forever while the host pulls
 *    the plug: "tester: synced NAME SIZE CRC" once NAME is on the device,
 *    "tester: begin NAME" before it is changed again, "tester: removed
 *    NAME" once its removal is.
 *  - "async": many commands in flight at once through fs_submit: 1 KiB
 *    reads all over /big1.bin and /big2.bin ("tester: chunk NAME OFFSET
 *    LENGTH CRC status S") and a STAT sent right after a 32 KiB read,
 *    which it must overtake ("tester: stat overtook read yes"): the server
 *    answers from its cache while another worker waits for the disk.
 *  - "hostile": commands no server may follow, each printed with the
 *    status it got ("tester: hostile NAME status S"), a flood of commands
 *    sent without reading a completion, then an honest read that must
 *    still work.
 * "tester: done" at the end of a workload that ends.
 * Channel: FS_CH, the file-system server (fs/config.h).
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <microkit.h>
#include <blk/partition.h> /* blk_crc32 */
#include <fs/client.h>
#include <pride/program.h>

#define CHUNK 65536
#define POWER_NAMES 40

static uint8_t buf[CHUNK];

static void fill_buffer(uint32_t seed)
{
    for (uint32_t i = 0; i < CHUNK; i++)
        buf[i] = (uint8_t)((i * 131 + seed * 7) ^ (i >> 9));
}

static void say_errno(const char *step, int result)
{
    printf("tester: %s %s %d\n", step, result < 0 ? "errno" : "ok", result < 0 ? errno : 0);
}

/* ---- fill ---- */

static void fill(void)
{
    int fd = open("/fill.bin", O_WRONLY | O_CREAT | O_TRUNC);
    long total = 0;
    ssize_t n = 0;
    fill_buffer(1);
    while (fd >= 0 && (n = write(fd, buf, CHUNK)) == CHUNK)
        total += n;
    total += n > 0 ? n : 0;
    printf("tester: fill %ld errno %d\n", total, n == CHUNK ? 0 : errno);
    n = write(fd, buf, 1);
    say_errno("write_more", (int)n);
    say_errno("close", close(fd));
    say_errno("mkdir", mkdir("/more", 0755));
    fd = open("/empty_new.txt", O_WRONLY | O_CREAT);
    say_errno("create_empty", fd);
    say_errno("write_new", (int)write(fd, "x", 1));
    close(fd);
    say_errno("sync", fs_sync());
}

/* ---- power ---- */

static uint32_t power_size(unsigned round)
{
    return 1000 + (round * 7919u) % 90000; /* from a sector to a few clusters' worth */
}

/* One round: NAME's new contents written and synced. */
static void power_round(unsigned round)
{
    char name[32];
    uint32_t size = power_size(round), crc = 0;
    snprintf(name, sizeof(name), "/p%02u.bin", round % POWER_NAMES);
    printf("tester: begin %s\n", name);
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC);
    fill_buffer(round);
    for (uint32_t at = 0; fd >= 0 && at < size;) {
        uint32_t n = size - at < 20000 ? size - at : 20000;
        if (write(fd, buf + at % 30000, n) != (ssize_t)n)
            break;
        crc = blk_crc32(crc, buf + at % 30000, n);
        at += n;
    }
    if (fd >= 0 && fsync(fd) == 0 && close(fd) == 0)
        printf("tester: synced %s %u %08lx\n", name, size, (unsigned long)crc);
    if (round % 7 == 6) { /* and some removals, synced too */
        snprintf(name, sizeof(name), "/p%02u.bin", (round + 3) % POWER_NAMES);
        printf("tester: begin %s\n", name);
        if (unlink(name) == 0 && fs_sync() == 0)
            printf("tester: removed %s\n", name);
    }
}

static void power(void)
{
    for (unsigned round = 0;; round++)
        power_round(round);
}

/* ---- async ---- */

#define CHUNK_READS 24 /* 12 in each of two files */
#define CHUNK_BYTES 1024
#define BIG_READ 32768

struct async_call {
    struct fs_command c;
    struct fs_completion done;
    bool answered;
    unsigned order; /* when it was answered */
};
static struct async_call calls[CHUNK_READS + 4];
static unsigned answered;

static void async_done(void *ctx, const struct fs_completion *done)
{
    struct async_call *a = ctx;
    a->done = *done;
    a->answered = true;
    a->order = answered++;
}

/* Submits calls[i] (its path or data already in place), waiting for
 * room in the command queue if need be. */
static void send(unsigned i)
{
    while (!fs_submit(&calls[i].c, async_done, &calls[i]))
        pride_program_wait();
}

static void async(void)
{
    uint64_t size;
    uint8_t *data = fs_data(&size);
    const char *names[2] = {"/big1.bin", "/big2.bin"};
    uint32_t handle[2];
    for (unsigned f = 0; f < 2; f++) {
        struct fs_command c = {.op = FS_OPEN, .data_offset = 0, .count = (uint32_t)strlen(names[f])};
        memcpy(data, names[f], c.count);
        calls[0].c = c, calls[0].answered = false;
        send(0);
        while (!calls[0].answered)
            pride_program_wait();
        handle[f] = (uint32_t)calls[0].done.value;
    }
    answered = 0;
    /* one 32 KiB read, then a STAT: the STAT must not wait for the read */
    calls[0].c = (struct fs_command){.op = FS_READ, .handle = handle[0], .offset = 65536,
                                     .data_offset = 0, .count = BIG_READ};
    memcpy(data + BIG_READ, "/big2.bin", 9);
    calls[1].c = (struct fs_command){.op = FS_STAT, .data_offset = BIG_READ, .count = 9};
    for (unsigned i = 0; i < CHUNK_READS; i++)
        calls[2 + i].c = (struct fs_command){.op = FS_READ, .handle = handle[i % 2],
                                             .offset = (uint64_t)(i / 2) * 16384 + 1000 * (i % 3),
                                             .data_offset = BIG_READ + 1024 + (uint64_t)i * CHUNK_BYTES,
                                             .count = CHUNK_BYTES};
    for (unsigned i = 0; i < CHUNK_READS + 2; i++)
        calls[i].answered = false, send(i);
    while (answered < CHUNK_READS + 2)
        pride_program_wait();
    printf("tester: stat overtook read %s\n", calls[1].order < calls[0].order ? "yes" : "no");
    for (unsigned i = 0; i < CHUNK_READS; i++) {
        struct async_call *a = &calls[2 + i];
        printf("tester: chunk %s %lu %lu %08lx status %u\n", names[i % 2], (unsigned long)a->c.offset,
               (unsigned long)a->done.value,
               (unsigned long)blk_crc32(0, data + a->c.data_offset, a->done.value), a->done.status);
    }
}

/* ---- hostile ---- */

/* c sent alone and answered: its status. */
static unsigned ask(struct fs_command c)
{
    calls[0].c = c, calls[0].answered = false;
    send(0);
    while (!calls[0].answered)
        pride_program_wait();
    return calls[0].done.status;
}

static void say_status(const char *name, unsigned status)
{
    printf("tester: hostile %s status %u\n", name, status);
}

/* A flood: the command queue filled while no completion is read (the
 * library reads them as they come, so the queue of completions is full of
 * answers to reads; nothing is lost: every one is answered). */
static void flood(uint32_t handle)
{
    answered = 0;
    for (unsigned i = 0; i < CHUNK_READS + 4; i++) {
        calls[i].c = (struct fs_command){.op = FS_READ, .handle = handle, .offset = i * 100u,
                                         .data_offset = (uint64_t)i * 512, .count = 512};
        calls[i].answered = false;
        send(i);
    }
    while (answered < CHUNK_READS + 4)
        pride_program_wait();
    unsigned ok = 0;
    for (unsigned i = 0; i < CHUNK_READS + 4; i++)
        ok += calls[i].done.status == FS_OK && calls[i].done.value == 512;
    printf("tester: hostile flood answered %u of %u\n", ok, CHUNK_READS + 4);
}

static void hostile(void)
{
    uint64_t size;
    uint8_t *data = fs_data(&size);
    memcpy(data, "/keep.bin", 9);
    unsigned st = ask((struct fs_command){.op = FS_OPEN, .count = 9});
    uint32_t file = (uint32_t)calls[0].done.value;
    say_status("open", st);
    say_status("bad_handle", ask((struct fs_command){.op = FS_READ, .handle = 999, .count = 10}));
    say_status("data_past_region", ask((struct fs_command){.op = FS_READ, .handle = file,
                                                           .data_offset = size - 4, .count = 10}));
    say_status("data_wraps", ask((struct fs_command){.op = FS_READ, .handle = file,
                                                     .data_offset = UINT64_MAX - 2, .count = 10}));
    memcpy(data, "/keep\0.bin", 10);
    say_status("path_with_nul", ask((struct fs_command){.op = FS_OPEN, .count = 10}));
    say_status("path_too_long", ask((struct fs_command){.op = FS_STAT, .count = FS_PATH_MAX + 1}));
    say_status("rename_one_path", ask((struct fs_command){.op = FS_RENAME, .count = 9}));
    say_status("unknown_op", ask((struct fs_command){.op = 99}));
    say_status("unknown_flag", ask((struct fs_command){.op = FS_OPEN, .flags = 0x100, .count = 9}));
    say_status("write_read_only_handle", ask((struct fs_command){.op = FS_WRITE, .handle = file,
                                                                 .count = 4}));
    say_status("readdir_on_file", ask((struct fs_command){.op = FS_READDIR, .handle = file}));
    memcpy(data, "/keep.bin", 9);
    say_status("unlink_open_file", ask((struct fs_command){.op = FS_UNLINK, .count = 9}));
    memcpy(data, "/../keep.bin", 12);
    say_status("dotdot", ask((struct fs_command){.op = FS_STAT, .count = 12}));
    flood(file);
    say_status("read_after", ask((struct fs_command){.op = FS_READ, .handle = file, .count = 5000}));
    printf("tester: hostile read %lu bytes\n", (unsigned long)calls[0].done.value);
}

static void program(void)
{
    char mode[16] = {0};
    int fd = open("/mode.txt", O_RDONLY);
    if (fd < 0 || read(fd, mode, sizeof(mode) - 1) < 0) {
        printf("tester: no /mode.txt: errno %d\n", errno);
        return;
    }
    close(fd);
    if (!strncmp(mode, "fill", 4))
        fill();
    else if (!strncmp(mode, "power", 5))
        power();
    else if (!strncmp(mode, "async", 5))
        async();
    else if (!strncmp(mode, "hostile", 7))
        hostile();
    printf("tester: done\n");
}

FS_PROGRAM_ENTRY_POINTS(program)

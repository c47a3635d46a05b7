/*
 * File-system benchmark, a program's view through the POSIX calls: an
 * 8 MiB file written in 64 KiB calls and fsync'ed, read back in 64 KiB
 * calls, then 1024 reads of 4 KiB at pseudo-random places. For each,
 * prints the instructions executed per KiB (every PD and the kernel: the
 * PMU's retired-instruction counter, which does not count idling) and the
 * KiB/s of the guest's clock (meaningful only without -icount;
 * bench/fs/run.sh runs both ways); and what one 64 KiB memcpy costs, the
 * unit of the copies on the path (docs/storage.md).
 * Channel: FS_CH, the file-system server (fs/config.h).
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <microkit.h>
#include <pride_debug.h>
#include <fs/client.h>
#include <pride/program.h>

#define CALL 65536
#define FILE_BYTES (8u << 20)
#define RANDOM_READS 1024
#define RANDOM_BYTES 4096

static uint8_t buf[CALL], other[CALL];
static uint32_t start_insns;
static uint64_t start_ticks;
static unsigned errors;
static uint64_t random_state = 0x2545f4914f6cdd1dull;

static uint64_t now_ticks(void)
{
    uint64_t t;
    __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(t));
    return t;
}

static void start(void)
{
    start_insns = pride_instructions_retired();
    start_ticks = now_ticks();
}

static void report(const char *name, uint64_t kib)
{
    uint32_t insns = pride_instructions_retired() - start_insns;
    uint64_t ticks = now_ticks() - start_ticks, hz = pride_counter_hz();
    printf("%s_insns_per_kib: %lu\n", name, (unsigned long)(insns / kib));
    printf("%s_kib_per_s: %lu\n", name, (unsigned long)(ticks ? kib * hz / ticks : 0));
}

static void sequential_write(void)
{
    int fd = open("/bench.bin", O_WRONLY | O_CREAT | O_TRUNC);
    for (uint32_t i = 0; i < CALL; i++)
        buf[i] = (uint8_t)(i * 13 + (i >> 8));
    start();
    for (uint32_t at = 0; fd >= 0 && at < FILE_BYTES; at += CALL)
        errors += write(fd, buf, CALL) != CALL;
    errors += fd < 0 || fsync(fd) != 0;
    report("fs_seq_write", FILE_BYTES / 1024);
    close(fd);
}

static void sequential_read(void)
{
    int fd = open("/bench.bin", O_RDONLY);
    start();
    for (uint32_t at = 0; fd >= 0 && at < FILE_BYTES; at += CALL)
        errors += read(fd, other, CALL) != CALL;
    report("fs_seq_read", FILE_BYTES / 1024);
    errors += memcmp(buf, other, CALL) != 0;
    close(fd);
}

static void random_reads(void)
{
    int fd = open("/bench.bin", O_RDONLY);
    start();
    for (unsigned i = 0; fd >= 0 && i < RANDOM_READS; i++) {
        random_state ^= random_state << 13, random_state ^= random_state >> 7,
            random_state ^= random_state << 17;
        off_t at = (off_t)(random_state % (FILE_BYTES / RANDOM_BYTES) * RANDOM_BYTES);
        errors += lseek(fd, at, SEEK_SET) != at || read(fd, other, RANDOM_BYTES) != RANDOM_BYTES;
    }
    report("fs_random_read_4k", RANDOM_READS * RANDOM_BYTES / 1024);
    close(fd);
}

/* The cost of the copies the path makes: one 64 KiB memcpy. */
static void copy_cost(void)
{
    uint32_t before = pride_instructions_retired();
    memcpy(other, buf, CALL);
    printf("fs_memcpy_64k_insns: %lu\n", (unsigned long)(pride_instructions_retired() - before));
}

static void program(void)
{
    int fd = open("/warm.txt", O_WRONLY | O_CREAT); /* mounts, counts free clusters */
    errors += fd < 0 || write(fd, "warm\n", 5) != 5 || close(fd) != 0;
    sequential_write();
    sequential_read();
    random_reads();
    copy_cost();
    printf(errors ? "bench: errors %u\n" : "bench: done\n", errors);
}

FS_PROGRAM_ENTRY_POINTS(program)

/* Runs each measurement loop and prints instructions per operation. */
#include <microkit.h>
#include <pride_debug.h>

#define SERVER 1
#define PASSIVE_SERVER 2
#define HIGH 3
#define PEER 4
#define ITERATIONS 100000

static uint64_t pingpong_start, pingpong_rounds;
static bool peer_ready;


#ifndef FIGURE_SUFFIX
#define FIGURE_SUFFIX "" /* bench/ipc_budget's build names its own */
#endif

static void report(const char *name, uint64_t start)
{
    microkit_dbg_puts(name);
    microkit_dbg_puts(FIGURE_SUFFIX ": ");
    pride_dbg_put_dec((pride_instructions() - start) / ITERATIONS);
    microkit_dbg_putc('\n');
}

/* Not inlined: bench/trace.sh finds each phase by its function. */
__attribute__((noinline)) static void measure_ppc(const char *name, microkit_channel server)
{
    uint64_t start = pride_instructions();
    for (unsigned i = 0; i < ITERATIONS; i++)
        microkit_ppcall(server, microkit_msginfo_new(0, 0));
    report(name, start);
}

__attribute__((noinline)) static void measure_wakeup(void)
{
    uint64_t start = pride_instructions();
    for (unsigned i = 0; i < ITERATIONS; i++)
        microkit_notify(HIGH);
    report("notify_wakeup_insns", start);
}

void init(void)
{
}

__attribute__((noinline)) static void start_pingpong(void)
{
    pingpong_start = pride_instructions();
    microkit_notify(PEER);
}

/* The peer, initialised last, says so first: all PDs are then waiting. */
static void measure_all(void)
{
    measure_ppc("ppc_roundtrip_insns", SERVER);
    measure_ppc("ppc_passive_roundtrip_insns", PASSIVE_SERVER);
    measure_wakeup();
    start_pingpong();
}

void notified(microkit_channel ch)
{
    if (ch != PEER)
        return;
    if (!peer_ready) {
        peer_ready = true;
        measure_all();
        return;
    }
    if (++pingpong_rounds < ITERATIONS) {
        microkit_notify(PEER);
        return;
    }
    report("notify_pingpong_insns", pingpong_start);
    microkit_dbg_puts("bench: done\n");
}

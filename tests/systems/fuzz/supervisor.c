/* Restarts the fuzzer after every fault and tallies the fault kinds. */
#include <microkit.h>
#include <pride_debug.h>

#define FUZZER 7
#define ROUNDS 600

static unsigned faults, by_kind[FAULT_OTHER + 1];

static void report(void)
{
    microkit_dbg_puts("fuzz: faults");
    for (unsigned kind = 1; kind <= FAULT_OTHER; kind++) {
        microkit_dbg_puts(" kind");
        pride_dbg_put_dec(kind);
        microkit_dbg_putc('=');
        pride_dbg_put_dec(by_kind[kind]);
    }
    microkit_dbg_puts("\nfuzz: done\n");
}

void init(void)
{
}

void notified(microkit_channel ch)
{
    (void)ch;
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    uint64_t kind = microkit_msginfo_get_label(msginfo);
    if (child != FUZZER || kind == 0 || kind > FAULT_OTHER) {
        microkit_dbg_puts("fuzz: unexpected fault message\n");
        return seL4_False;
    }
    by_kind[kind]++;
    if (++faults < ROUNDS) {
        microkit_pd_restart(child, PRIDE_PROGRAM_ENTRY);
    } else {
        microkit_pd_stop(child);
        report();
    }
    return seL4_False;
}

/* Restarts the fuzzer after every fault and tallies the fault kinds. */
#include <microkit.h>

#define FUZZER 7
#define FUZZER_ENTRY 0x200000
#define ROUNDS 600

static unsigned faults, by_kind[FAULT_OTHER + 1];

static void put_dec(uint64_t v)
{
    char digits[20];
    unsigned n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

static void report(void)
{
    microkit_dbg_puts("fuzz: faults");
    for (unsigned kind = 1; kind <= FAULT_OTHER; kind++) {
        microkit_dbg_puts(" kind");
        put_dec(kind);
        microkit_dbg_putc('=');
        put_dec(by_kind[kind]);
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
        microkit_pd_restart(child, FUZZER_ENTRY);
    } else {
        microkit_pd_stop(child);
        report();
    }
    return seL4_False;
}

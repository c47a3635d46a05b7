/*
 * Misbehaves at random until it faults. It owns no channels and no
 * children, so every system call it makes is invalid. Its random state
 * lives in memory, which survives the supervisor's restarts.
 */
#include <microkit.h>

static uint64_t state = 0x9e3779b97f4a7c15ull;

static uint64_t next_random(void)
{
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static void random_syscall(uint64_t r)
{
    register uint64_t x0 __asm__("x0") = next_random();
    register uint64_t x1 __asm__("x1") = next_random() | 2; /* never a valid receive */
    register uint64_t x2 __asm__("x2") = next_random();
    register uint64_t x3 __asm__("x3") = next_random();
    register uint64_t x8 __asm__("x8") = r % 2 ? r % 16 : r;
    if (x8 == SYS_DEBUG_WRITE)
        x8 = SYS_COUNT;
    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x8)
                     :
                     : "x4", "x5", "x6", "x7", "x9", "x10", "x11", "x12", "x13", "x14",
                       "x15", "x16", "x17", "x18", "memory");
}

/* Addresses that fault: kernel half, unmapped user space, read-only text. */
static uint64_t hostile_address(uint64_t r)
{
    switch (r % 3) {
    case 0: return 0xffffff8040200000ull + (r >> 8) % 0x100000;
    case 1: return 0x10000000ull + (r >> 8) % 0x10000000;
    default: return 0x200000ull + ((r >> 8) % 0x800 & ~7ull);
    }
}

static void misbehave(uint64_t r)
{
    switch ((r >> 40) % 9) {
    case 0: random_syscall(r); break;
    case 1: (void)*(volatile uint64_t *)(hostile_address(r) & ~0x200000ull); break;
    case 2: *(volatile uint64_t *)hostile_address(r) = r; break;
    case 3: ((void (*)(void))(uintptr_t)(hostile_address(r) & ~0x200000ull))(); break;
    case 4: __asm__ volatile("mov x9, sp\n sub x9, x9, #3\n mov sp, x9\n ldr x9, [sp]" ::: "x9", "memory"); break;
    case 5: __asm__ volatile("adr x9, 1f\n add x9, x9, #2\n br x9\n 1: nop" ::: "x9"); break;
    case 6: __asm__ volatile("brk #1"); break;
    case 7: __asm__ volatile("wfi"); break;
    default: __asm__ volatile("msr sctlr_el1, %0" ::"r"(r)); break;
    }
}

void init(void)
{
    for (;;)
        misbehave(next_random());
}

void notified(microkit_channel ch)
{
    (void)ch;
}

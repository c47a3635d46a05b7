/*
 * The Internet checksum for lwIP (LWIP_CHKSUM in lwipopts.h): the ones'
 * complement sum of the 16-bit words at data, as lwIP wants it: not
 * inverted, and in memory byte order (RFC 1071 section 2: the sum is the
 * same in either byte order, only swapped).
 *
 * lwIP's own versions take two bytes per step, about 2.2 instructions per
 * byte on AArch64, and run twice per packet (receive and send). Here:
 *  - on AArch64, 32-byte blocks go through an add-with-carry chain over
 *    64-bit words (ones' complement addition in 64 bits folds to the same
 *    16-bit sum, as 2^16 = 1 modulo 0xffff): 0.25 instructions per byte;
 *  - the rest, and everything on other machines, adds the 32-bit halves of
 *    64-bit words into a 64-bit accumulator, which cannot overflow for any
 *    length lwIP passes (< 64 KiB), with the carries folded at the end.
 * Loads may be unaligned, which AArch64 allows on normal memory.
 * Tested on the host (tests/lwip/chksum_unit.c, the C path) and in a PD
 * (tests/systems/lwip_smoke, both paths), against the same reference.
 */
#include <stdint.h>
#include <pride_lwip.h>

typedef uint64_t __attribute__((aligned(1), may_alias)) loose_u64;

static uint64_t load64(const uint8_t *p)
{
    return *(const loose_u64 *)p;
}

#ifdef __aarch64__
/* Ones' complement sum of blocks (> 0) 32-byte blocks. The carry flag
 * survives from one block to the next: sub and cbnz leave it alone. */
static uint64_t sum_blocks(const uint8_t *p, uint64_t blocks)
{
    uint64_t sum, a, b, c, d;
    __asm__("mov %[sum], #0\n"
            "cmn xzr, xzr\n" /* clear the carry */
            "1: ldp %[a], %[b], [%[p]]\n"
            "ldp %[c], %[d], [%[p], #16]\n"
            "add %[p], %[p], #32\n"
            "adcs %[sum], %[sum], %[a]\n"
            "adcs %[sum], %[sum], %[b]\n"
            "adcs %[sum], %[sum], %[c]\n"
            "adcs %[sum], %[sum], %[d]\n"
            "sub %[blocks], %[blocks], #1\n"
            "cbnz %[blocks], 1b\n"
            "adc %[sum], %[sum], xzr\n"
            : [sum] "=&r"(sum), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d),
              [p] "+r"(p), [blocks] "+r"(blocks)
            :
            : "cc", "memory");
    return sum;
}
#endif

static uint64_t sum_words(const uint8_t *p, int len)
{
    uint64_t sum = 0;
#ifdef __aarch64__
    if (len >= 32) {
        uint64_t blocks = (uint64_t)len / 32;
        sum = sum_blocks(p, blocks);
        sum = (sum & 0xffffffffu) + (sum >> 32);
        p += blocks * 32;
        len -= (int)(blocks * 32);
    }
#endif
    for (; len >= 32; len -= 32, p += 32) {
        uint64_t a = load64(p), b = load64(p + 8), c = load64(p + 16), d = load64(p + 24);
        sum += (a & 0xffffffffu) + (a >> 32) + (b & 0xffffffffu) + (b >> 32);
        sum += (c & 0xffffffffu) + (c >> 32) + (d & 0xffffffffu) + (d >> 32);
    }
    for (; len >= 8; len -= 8, p += 8) {
        uint64_t a = load64(p);
        sum += (a & 0xffffffffu) + (a >> 32);
    }
    /* The tail, in memory order: byte i of the word is bits 8i..8i+7. */
    uint64_t tail = 0;
    for (int i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    return sum + (tail & 0xffffffffu) + (tail >> 32);
}

uint16_t pride_lwip_chksum(const void *data, int len)
{
    uint64_t sum = sum_words(data, len);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

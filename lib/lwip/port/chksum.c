/*
 * The Internet checksum for lwIP (LWIP_CHKSUM in lwipopts.h): the ones'
 * complement sum of the 16-bit words at data, as lwIP wants it: not
 * inverted, and in memory byte order (RFC 1071 section 2: the sum is the
 * same in either byte order, only swapped).
 *
 * lwIP's own versions take two bytes per step, about 2.2 instructions per
 * byte on AArch64, twice per packet (receive and send). This one adds 32-bit
 * halves of 64-bit words into a 64-bit accumulator, which cannot overflow
 * for any length lwIP passes (< 64 KiB), and folds the carries once at the
 * end: about 0.4 instructions per byte. Loads may be unaligned, which
 * AArch64 allows on normal memory. Plain C: tests/lwip/chksum_unit.c runs
 * it on the host against a byte-at-a-time reference.
 */
#include <stdint.h>
#include <pride_lwip.h>

typedef uint64_t __attribute__((aligned(1), may_alias)) loose_u64;

static uint64_t load64(const uint8_t *p)
{
    return *(const loose_u64 *)p;
}

static uint64_t sum_words(const uint8_t *p, int len)
{
    uint64_t sum = 0;
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

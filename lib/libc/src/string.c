/*
 * Word-wise memcpy and memset. Debian's picolibc for aarch64 is built with
 * the generic C versions, which copy and fill one byte per loop iteration;
 * network buffers and file data want better. memcpy moves 128 bytes per
 * iteration through the 128-bit registers once the destination is 16-byte
 * aligned (about 120 instructions per KiB), memset 32 bytes once it is
 * 8-byte aligned. Source loads may be unaligned, which
 * AArch64 allows on normal memory (SCTLR_EL1.A is clear); never use these on
 * device memory.
 *
 * This file is compiled with -fno-tree-loop-distribute-patterns so that gcc
 * does not turn the loops back into calls to memcpy/memset. Both use the
 * FP/SIMD registers (gcc vectorises memset's loop too), so a PD using them
 * uses those registers (the kernel switches them lazily).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((may_alias)) word_u64;

/* 16 bytes that may sit anywhere: the loop below moves them through the
 * 128-bit registers, paired into ldp/stp by the compiler. */
typedef uint64_t loose_u128 __attribute__((vector_size(16), aligned(1), may_alias));
typedef uint64_t word_u128 __attribute__((vector_size(16), may_alias));

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (n >= 16) {
        while ((uintptr_t)d & 15) {
            *d++ = *s++;
            n--;
        }
        for (; n >= 128; n -= 128, d += 128, s += 128) {
            const loose_u128 *from = (const loose_u128 *)s;
            word_u128 *to = (word_u128 *)d;
            word_u128 a = from[0], b = from[1], c = from[2], e = from[3];
            word_u128 f = from[4], g = from[5], h = from[6], k = from[7];
            to[0] = a, to[1] = b, to[2] = c, to[3] = e;
            to[4] = f, to[5] = g, to[6] = h, to[7] = k;
        }
        for (; n >= 16; n -= 16, d += 16, s += 16)
            *(word_u128 *)d = *(const loose_u128 *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    uint64_t word = (unsigned char)c * 0x0101010101010101ull;

    if (n >= 16) {
        while ((uintptr_t)d & 7) {
            *d++ = (unsigned char)c;
            n--;
        }
        for (; n >= 32; n -= 32, d += 32) {
            ((word_u64 *)d)[0] = word;
            ((word_u64 *)d)[1] = word;
            ((word_u64 *)d)[2] = word;
            ((word_u64 *)d)[3] = word;
        }
        for (; n >= 8; n -= 8, d += 8)
            *(word_u64 *)d = word;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

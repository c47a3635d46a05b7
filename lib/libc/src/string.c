/*
 * Word-wise memcpy and memset. Debian's picolibc for aarch64 is built with
 * the generic C versions, which copy and fill one byte per loop iteration;
 * network buffers want better. These move 32 bytes per iteration once the
 * destination is 8-byte aligned. Source loads may be unaligned, which
 * AArch64 allows on normal memory (SCTLR_EL1.A is clear); never use these on
 * device memory.
 *
 * This file is compiled with -fno-tree-loop-distribute-patterns so that gcc
 * does not turn the loops back into calls to memcpy/memset. gcc vectorises
 * the 32-byte loops into 16-byte SIMD loads and stores, so a PD using these
 * uses the FP/SIMD registers (the kernel switches them lazily).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint64_t __attribute__((aligned(1), may_alias)) loose_u64;
typedef uint64_t __attribute__((may_alias)) word_u64;

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (n >= 16) {
        while ((uintptr_t)d & 7) {
            *d++ = *s++;
            n--;
        }
        for (; n >= 32; n -= 32, d += 32, s += 32) {
            uint64_t a = ((const loose_u64 *)s)[0], b = ((const loose_u64 *)s)[1];
            uint64_t c = ((const loose_u64 *)s)[2], e = ((const loose_u64 *)s)[3];
            ((word_u64 *)d)[0] = a;
            ((word_u64 *)d)[1] = b;
            ((word_u64 *)d)[2] = c;
            ((word_u64 *)d)[3] = e;
        }
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(word_u64 *)d = *(const loose_u64 *)s;
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

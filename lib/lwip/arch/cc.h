/*
 * lwIP's platform header for Pride PDs. Types, limits, inttypes format
 * macros and byte order come from picolibc's headers (lwIP's defaults in
 * lwip/arch.h find them); here only the platform hooks are named.
 */
#ifndef PRIDE_LWIP_ARCH_CC_H
#define PRIDE_LWIP_ARCH_CC_H

#include "pride_lwip.h"

/* AArch64 PDs run little-endian. */
#ifndef BYTE_ORDER
#define BYTE_ORDER LITTLE_ENDIAN
#endif

#define LWIP_RAND() pride_lwip_rand()

/* Diagnostics (only with LWIP_DEBUG) go through picolibc's printf, whose
 * stdout is the debug console (lib/libc/src/stdio.c). */
#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
#include <stdio.h>

/* Assertions print without printf, so they work even if stdio is broken. */
#define LWIP_PLATFORM_ASSERT(x) pride_lwip_assert((x), __FILE__, __LINE__)

#endif

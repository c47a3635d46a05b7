/*
 * Pride's port of lwIP (lib/lwip/): what a PD using lwIP can hook.
 *
 * lwIP runs with NO_SYS=1 inside one PD: the PD's event loop is lwIP's only
 * thread. Time comes from pride_lwip_now_ms(), which sys_now() calls. The
 * default (a weak definition in port/sys_arch.c) asks the timer driver,
 * time_now_ns() / 1000000, so a PD using it must have a pp channel to the
 * timer driver and call timer_client_init() before lwip_init(). A PD that
 * keeps time another way defines its own pride_lwip_now_ms().
 */
#ifndef PRIDE_LWIP_H
#define PRIDE_LWIP_H

#include <stdint.h>

/* Milliseconds since some fixed point (wraps after 49 days, as lwIP expects). */
uint32_t pride_lwip_now_ms(void);

/* LWIP_RAND(): a pseudo-random 32-bit number (DHCP transaction ids, TCP
 * initial ports and sequence numbers), seeded from the generic counter. */
uint32_t pride_lwip_rand(void);

/* LWIP_CHKSUM: the ones' complement sum of len bytes,
 * in memory byte order, not inverted (port/chksum.c). */
uint16_t pride_lwip_chksum(const void *data, int len);

/* LWIP_PLATFORM_ASSERT(): prints the message on the debug console and
 * stops the PD through abort(). */
void pride_lwip_assert(const char *message, const char *file, int line)
    __attribute__((noreturn));

#endif

/*
 * Reference for the Internet checksum tests (host: chksum_unit.c; PD:
 * tests/systems/lwip_smoke): RFC 1071's definition summed a byte pair at a
 * time in network order, then swapped to memory order as LWIP_CHKSUM
 * returns it.
 */
#ifndef CHKSUM_REFERENCE_H
#define CHKSUM_REFERENCE_H

#include <stdint.h>

static inline uint16_t chksum_reference(const uint8_t *p, int len)
{
    uint32_t sum = 0;
    for (int i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)(sum >> 8 | (sum & 0xff) << 8);
}

/* 0x0000 and 0xffff are the same number in ones' complement. */
static inline int chksum_same(uint16_t a, uint16_t b)
{
    return a == b || ((a == 0 || a == 0xffff) && (b == 0 || b == 0xffff));
}

#endif

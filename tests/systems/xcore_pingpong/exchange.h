/* The shared page of ping and pong: one question, one answer. */
#ifndef XCORE_EXCHANGE_H
#define XCORE_EXCHANGE_H

#include <stdint.h>

#ifndef ROUNDS
#define ROUNDS 1000000u /* (bench/xcore_pingpong: fewer) */
#endif

struct exchange {
    uint64_t question; /* written by ping before it notifies */
    uint64_t answer;   /* written by pong before it notifies */
};

/* What pong answers to q (the test computes the same). */
static inline uint64_t exchange_answer(uint64_t q)
{
    return q * 0x9e3779b97f4a7c15ull ^ (q >> 7);
}

#endif

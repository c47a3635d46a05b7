/* What ping sends and pong answers; tests/boot recomputes the checksum. */
#ifndef PINGPONG_H
#define PINGPONG_H

#include <stdint.h>

#define ROUNDS 10000
#define CALL_LABEL 0x50
#define CALL_WORDS 4
#define REPLY_WORDS 3

static inline void pingpong_request(uint64_t i, uint64_t mr[CALL_WORDS])
{
    mr[0] = i;
    mr[1] = i * 7;
    mr[2] = ~i;
    mr[3] = 0x1234 ^ i;
}

static inline void pingpong_reply(const uint64_t mr[CALL_WORDS], uint64_t out[REPLY_WORDS])
{
    out[0] = mr[0] + mr[1];
    out[1] = mr[0] ^ mr[2];
    out[2] = mr[3] * 3 + 1;
}

#endif

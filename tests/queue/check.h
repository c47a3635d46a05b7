/*
 * A minimal test harness for the host unit tests: CHECK records the first
 * failed condition of the running case; RUN prints one PASS/FAIL line per
 * case, named <TEST_PREFIX><case>. Define TEST_PREFIX before including.
 */
#ifndef QUEUE_TEST_CHECK_H
#define QUEUE_TEST_CHECK_H

#include <stdint.h>
#include <stdio.h>

static const char *failure; /* first failed check of the running case */
static int failures;

#define STR2(x) #x
#define STR(x) STR2(x)
#define CHECK(cond)                                                    \
    do {                                                               \
        if (!(cond) && !failure)                                       \
            failure = "line " STR(__LINE__) ": " #cond;                \
    } while (0)

static void run(const char *name, void (*test)(void))
{
    failure = NULL;
    test();
    if (failure) {
        printf("FAIL: " TEST_PREFIX "%s: %s\n", name, failure);
        failures++;
    } else {
        printf("PASS: " TEST_PREFIX "%s\n", name);
    }
}

#define RUN(name) run(#name, test_##name)

/* A reproducible pseudo-random sequence (xorshift64) for the random cases. */
static inline uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

#endif

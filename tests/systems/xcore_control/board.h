/* What spinner shows parent: how often it started, how far it spun. */
#ifndef XCORE_BOARD_H
#define XCORE_BOARD_H

#include <stdint.h>

struct board {
    volatile uint64_t starts;
    volatile uint64_t spins;
};

#endif

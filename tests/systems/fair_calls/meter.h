/* The fair_calls test's shared meter: counter ticks server spent serving. */
#ifndef FAIR_CALLS_METER_H
#define FAIR_CALLS_METER_H

#include <stdint.h>

struct meter {
    volatile uint64_t served_ticks;
};

#endif

/* Counts its starts, then spins for ever, counting, on core 1. */
#include <microkit.h>
#include "board.h"

uintptr_t board;

void init(void)
{
    struct board *b = (struct board *)board;
    b->starts++;
    for (;;)
        b->spins++;
}

void notified(microkit_channel ch)
{
    (void)ch;
}

/* Recurses, filling every frame with non-zero bytes, until the stack runs out. */
#include <microkit.h>

#define FRAME_BYTES 256

/* The recursion stops here only in principle: the stack ends long before. */
static volatile unsigned depth_limit = ~0u;

static unsigned recurse(unsigned depth)
{
    volatile unsigned char frame[FRAME_BYTES];
    for (unsigned i = 0; i < FRAME_BYTES; i++)
        frame[i] = (unsigned char)(depth | 1);
    if (depth >= depth_limit)
        return frame[0];
    /* not a tail call: the frame stays live across the recursion */
    return recurse(depth + 1) + frame[depth % FRAME_BYTES];
}

void init(void)
{
    microkit_dbg_puts("stack_guard: overflowing the stack\n");
    recurse(0);
    microkit_dbg_puts("stack_guard: FAIL: the recursion returned\n");
}

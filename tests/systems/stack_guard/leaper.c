/* Takes one stack frame larger than the guard page below its stack and
 * writes the frame's far (lowest) end first, as a large local array would. */
#include <microkit.h>

#define FRAME_BYTES 0x2800 /* from the stack top, its far end lands two pages down */

static volatile unsigned char sink;

static void leap(void)
{
    volatile unsigned char frame[FRAME_BYTES];
    for (unsigned i = 0; i < FRAME_BYTES; i++)
        frame[i] = 0x5a;
    sink = frame[FRAME_BYTES / 2];
}

void init(void)
{
    microkit_dbg_puts("stack_guard: leaping over the guard page\n");
    leap();
    microkit_dbg_puts("stack_guard: FAIL: the leap returned\n");
}

/* Prints numbered lines one character at a time, pausing between
 * characters so that time slices end in the middle of lines. */
#include <microkit.h>
#include <pride_debug.h>

#define LINES 60
#define FILL 50
#define PAUSE_US 20

static void pause(void)
{
    uint64_t until = pride_counter_now() + pride_counter_hz() / 1000000 * PAUSE_US;
    while (pride_counter_now() < until)
        ;
}

static void put_slowly(char c)
{
    microkit_dbg_putc(c);
    pause();
}

static void put_line(unsigned n)
{
    for (const char *s = microkit_name; *s; s++)
        put_slowly(*s);
    put_slowly(' ');
    put_slowly((char)('0' + n / 10));
    put_slowly((char)('0' + n % 10));
    put_slowly(' ');
    for (unsigned i = 0; i < FILL; i++)
        put_slowly('x');
    put_slowly('\n');
}

void init(void)
{
    for (unsigned n = 0; n < LINES; n++)
        put_line(n);
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": done\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

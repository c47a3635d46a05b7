/* Number output on the debug console (see pride_debug.h). */
#include <microkit.h>
#include <pride_debug.h>

void pride_dbg_put_dec(uint64_t value)
{
    char digits[20];
    unsigned n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

void pride_dbg_put_hex(uint64_t value)
{
    microkit_dbg_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        microkit_dbg_putc("0123456789abcdef"[(value >> shift) & 0xf]);
}

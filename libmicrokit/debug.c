/*
 * Debug console output: bytes collect in the PD's debug area, after the
 * message words in its IPC buffer page, and go to the kernel with one
 * system call per line (or per full area). Numbers as in pride_debug.h.
 */
#include <microkit.h>
#include <pride_debug.h>

static struct pride_debug_area *debug_area(void)
{
    return (struct pride_debug_area *)((char *)pride_ipc_buffer + PRIDE_DEBUG_AREA_OFFSET);
}

void microkit_dbg_putc(int c)
{
    struct pride_debug_area *area = debug_area();
    uint32_t length = area->length < PRIDE_DEBUG_AREA_BYTES ? area->length : 0;
    area->bytes[length++] = (char)c;
    area->length = length;
    if (c == '\n' || length == PRIDE_DEBUG_AREA_BYTES)
        pride_syscall(SYS_DEBUG_WRITE, 0, 0);
}

void microkit_dbg_puts(const char *s)
{
    while (*s)
        microkit_dbg_putc(*s++);
}

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

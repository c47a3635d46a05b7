/*
 * Runs after overflow has faulted (it has the lower priority) and reports
 * whether the region mapped below overflow's stack still holds only zeros.
 */
#include <microkit.h>
#include <pride_debug.h>

#define REGION_BYTES 0x1000

uint64_t shared; /* setvar_vaddr */

void init(void)
{
    const volatile unsigned char *bytes = (const volatile unsigned char *)shared;
    uint64_t changed = 0;
    for (unsigned i = 0; i < REGION_BYTES; i++)
        changed += bytes[i] != 0;
    if (!changed) {
        microkit_dbg_puts("stack_guard: shared region untouched\n");
        return;
    }
    microkit_dbg_puts("stack_guard: shared region changed: ");
    pride_dbg_put_dec(changed);
    microkit_dbg_puts(" bytes\n");
}

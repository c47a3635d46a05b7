/*
 * Runs after overflow and leaper have faulted (it has the lower priority)
 * and reports whether the regions mapped below their stacks still hold only
 * zeros.
 */
#include <microkit.h>
#include <pride_debug.h>

#define REGION_BYTES 0x1000

uint64_t shared, leaped; /* setvar_vaddr */

static void report(const char *name, uint64_t region)
{
    const volatile unsigned char *bytes = (const volatile unsigned char *)region;
    uint64_t changed = 0;
    for (unsigned i = 0; i < REGION_BYTES; i++)
        changed += bytes[i] != 0;
    microkit_dbg_puts("stack_guard: ");
    microkit_dbg_puts(name);
    if (!changed) {
        microkit_dbg_puts(" region untouched\n");
        return;
    }
    microkit_dbg_puts(" region changed: ");
    pride_dbg_put_dec(changed);
    microkit_dbg_puts(" bytes\n");
}

void init(void)
{
    report("leaped", leaped);
    report("shared", shared);
}

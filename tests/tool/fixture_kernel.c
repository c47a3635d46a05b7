/* Stand-in kernel for the tool tests: an entry point and the boot spec pointer. */
#ifndef NO_BOOTSPEC_SYMBOL
__attribute__((section(".data"))) unsigned long long pride_bootspec_paddr = 0;
#else
__attribute__((section(".data"))) unsigned long long something_else = 0;
#define pride_bootspec_paddr something_else
#endif

void _start(void)
{
    for (;;)
        pride_bootspec_paddr++;
}

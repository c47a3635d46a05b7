/*
 * Minimal PD program for the tool tests. It only has to look like a Microkit
 * program to the build tool: an entry point, the symbols the tool patches,
 * and the IPC buffer page. It never runs.
 */
typedef unsigned long long u64;

char microkit_name[64];
u64 microkit_irqs;
u64 microkit_notifications;
u64 microkit_pps;
unsigned char microkit_passive;

/* setvar targets: one in .data, the others in .bss */
u64 shared_vaddr = 1;
u64 shared2_vaddr;
u64 uart_paddr;
u64 buffer_paddr;
const char banner[] = "fixture";

#ifdef HIGH_SEGMENT
/* placed by fixture_high.ld */
__attribute__((section(".high"))) u64 high_page[512] = { 1 };
#endif

#ifndef NO_IPC_BUFFER
__attribute__((aligned(4096), section(".bss.ipc_buffer")))
unsigned char pride_ipc_buffer[4096];
#endif

__attribute__((section(".text.start"))) void _start(void)
{
    for (;;)
        microkit_irqs += (u64)banner[0];
}

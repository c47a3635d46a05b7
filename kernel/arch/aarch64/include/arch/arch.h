/* What the portable kernel needs from the architecture and platform. */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/context.h>

struct core;
struct pd;

void arch_init_core(struct core *core);
void arch_init_pd(struct pd *pd, uint64_t pgd_paddr);
/* Install next's address space and FP access; called only when it changes. */
void arch_switch_to(struct core *core, struct pd *next);
void arch_fp_forget(struct core *core, struct pd *pd);
void arch_wait_for_interrupt(void);
void arch_cpu_relax(void); /* in a spin loop: lets an emulator run the other cores */
/* The calling core's struct core (arch_init_core's argument). */
struct core *arch_this_core(void);
/* Starts core index (1..PLAT_MAX_CORES-1) at the kernel's secondary entry
 * (kernel_secondary_main); false if the platform has no such core. */
bool arch_start_core(unsigned index);
_Noreturn void arch_start_user(struct user_context *ctx);

/* Interrupt controller. One SGI asks another core to reschedule. */
#define ARCH_SPURIOUS_INTID 1023
#define ARCH_RESCHEDULE_INTID 0
void arch_irq_init(void);
void arch_irq_init_core(void);
void arch_irq_configure(unsigned intid, int edge, unsigned core_index);
void arch_send_reschedule(unsigned core_index);
void arch_irq_mask(unsigned intid);
void arch_irq_unmask(unsigned intid);
unsigned arch_irq_acknowledge(void);
void arch_irq_end(unsigned intid);

/* The system counter, and the kernel's timer (time slices, budgets):
 * one deadline in counter ticks, its interrupt PLAT_KERNEL_TIMER_INTID. */
uint64_t arch_counter_hz(void);
uint64_t arch_counter_now(void);
void arch_timer_at(uint64_t deadline);

/* Debug console. */
void arch_putc(char c);

#endif

/*
 * AArch64 CPU support: trap decoding, address-space and FP/SIMD switching,
 * PMU access for benchmarks (benchmark configuration only).
 */
#include <arch/arch.h>
#include <arch/sysregs.h>
#include <kernel/kernel.h>

#define sysreg_read(reg) ({ uint64_t v_; __asm__ volatile("mrs %0, " #reg : "=r"(v_)); v_; })
#define sysreg_write(reg, v) __asm__ volatile("msr " #reg ", %0" ::"r"((uint64_t)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")

extern void return_to_user(struct user_context *ctx);

/* The PMU is shared by every PD and counts kernel work too, so EL0 gets it
 * only in the benchmark configuration (PMUSERENR_EL0 resets to an UNKNOWN
 * value, so it is always written). Elsewhere a PD's PMU access traps. */
static void pmu_init(void)
{
#ifdef PRIDE_PMU_EL0
    sysreg_write(pmevtyper0_el0, PMU_EVENT_INST_RETIRED);
    sysreg_write(pmccfiltr_el0, 0); /* count EL0 and EL1 */
    sysreg_write(pmcntenset_el0, PMCNTEN_CYCLE | 1);
    sysreg_write(pmcr_el0, PMCR_E | PMCR_P | PMCR_C | PMCR_LC);
    sysreg_write(pmuserenr_el0, PMUSERENR_EL0_OPEN);
#else
    sysreg_write(pmuserenr_el0, 0);
#endif
}

void arch_init_core(struct core *core)
{
    sysreg_write(tpidr_el1, (uint64_t)core);
    sysreg_write(cpacr_el1, CPACR_FP_OFF);
    sysreg_write(cntkctl_el1, CNTKCTL_EL0VCTEN); /* EL0 may read the virtual counter */
    pmu_init();
    isb();
}

void arch_init_pd(struct pd *pd, uint64_t pgd_paddr)
{
    /* ASID = index + 1: ASIDs are never reused, so switches need no TLB flush. */
    pd->arch.ttbr = pgd_paddr | ((uint64_t)(pd->index + 1) << 48);
    pd->arch.owns_vtimer = false;
    for (unsigned ch = 0; ch < PRIDE_MAX_CHANNELS; ch++)
        if (pd->spec->channels[ch].kind == CH_IRQ && pd->spec->channels[ch].irq == PLAT_VTIMER_INTID)
            pd->arch.owns_vtimer = true;
}

void arch_switch_to(struct core *core, struct pd *next)
{
    sysreg_write(ttbr0_el1, next->arch.ttbr);
    /* FP stays trapped unless next owns the FP registers. */
    if (core->arch.fp_on || next == core->arch.fp_owner) {
        core->arch.fp_on = !core->arch.fp_on;
        sysreg_write(cpacr_el1, core->arch.fp_on ? CPACR_FP_ON : CPACR_FP_OFF);
    }
    if (next->arch.owns_vtimer != core->arch.vtimer_on) {
        core->arch.vtimer_on = next->arch.owns_vtimer;
        sysreg_write(cntkctl_el1, CNTKCTL_EL0VCTEN | (core->arch.vtimer_on ? CNTKCTL_EL0VTEN : 0));
    }
    isb();
}

static void fp_save(struct fp_context *fp)
{
    __asm__ volatile(
        "stp q0, q1, [%0, #32 * 0]\n stp q2, q3, [%0, #32 * 1]\n"
        "stp q4, q5, [%0, #32 * 2]\n stp q6, q7, [%0, #32 * 3]\n"
        "stp q8, q9, [%0, #32 * 4]\n stp q10, q11, [%0, #32 * 5]\n"
        "stp q12, q13, [%0, #32 * 6]\n stp q14, q15, [%0, #32 * 7]\n"
        "stp q16, q17, [%0, #32 * 8]\n stp q18, q19, [%0, #32 * 9]\n"
        "stp q20, q21, [%0, #32 * 10]\n stp q22, q23, [%0, #32 * 11]\n"
        "stp q24, q25, [%0, #32 * 12]\n stp q26, q27, [%0, #32 * 13]\n"
        "stp q28, q29, [%0, #32 * 14]\n stp q30, q31, [%0, #32 * 15]\n"
        ::"r"(fp->q) : "memory");
    fp->fpsr = sysreg_read(fpsr);
    fp->fpcr = sysreg_read(fpcr);
}

static void fp_load(const struct fp_context *fp)
{
    __asm__ volatile(
        "ldp q0, q1, [%0, #32 * 0]\n ldp q2, q3, [%0, #32 * 1]\n"
        "ldp q4, q5, [%0, #32 * 2]\n ldp q6, q7, [%0, #32 * 3]\n"
        "ldp q8, q9, [%0, #32 * 4]\n ldp q10, q11, [%0, #32 * 5]\n"
        "ldp q12, q13, [%0, #32 * 6]\n ldp q14, q15, [%0, #32 * 7]\n"
        "ldp q16, q17, [%0, #32 * 8]\n ldp q18, q19, [%0, #32 * 9]\n"
        "ldp q20, q21, [%0, #32 * 10]\n ldp q22, q23, [%0, #32 * 11]\n"
        "ldp q24, q25, [%0, #32 * 12]\n ldp q26, q27, [%0, #32 * 13]\n"
        "ldp q28, q29, [%0, #32 * 14]\n ldp q30, q31, [%0, #32 * 15]\n"
        ::"r"(fp->q) : "memory");
    sysreg_write(fpsr, fp->fpsr);
    sysreg_write(fpcr, fp->fpcr);
}

/* First FP/SIMD use since another PD owned the registers: swap them in. */
static void fp_take(struct core *core, struct pd *pd)
{
    sysreg_write(cpacr_el1, CPACR_FP_ON);
    isb();
    core->arch.fp_on = true;
    if (core->arch.fp_owner)
        fp_save(&core->arch.fp_owner->arch.fp);
    fp_load(&pd->arch.fp);
    core->arch.fp_owner = pd;
}

/* The PD's FP state is being reset: registers no longer hold it. */
void arch_fp_forget(struct core *core, struct pd *pd)
{
    if (core->arch.fp_owner == pd)
        core->arch.fp_owner = 0;
    for (unsigned i = 0; i < 32; i++)
        pd->arch.fp.q[i] = 0;
    pd->arch.fp.fpsr = pd->arch.fp.fpcr = 0;
}

static enum pride_fault_kind fault_kind_of(unsigned ec)
{
    switch (ec) {
    case EC_DABT_LOWER: return FAULT_DATA_ABORT;
    case EC_IABT_LOWER: return FAULT_INSTRUCTION_ABORT;
    case EC_UNKNOWN:
    case EC_MSR_MRS:
    case EC_WFX: return FAULT_UNDEFINED_INSTRUCTION;
    case EC_PC_ALIGN:
    case EC_SP_ALIGN: return FAULT_ALIGNMENT;
    default: return FAULT_OTHER;
    }
}

struct user_context *handle_el0_sync(struct user_context *ctx, struct core *core, uint64_t esr)
{
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    kernel_enter(core);
    if (ec == EC_FP_ACCESS && core->current) { /* (none: another core stopped it) */
        fp_take(core, core->current);
        return kernel_leave(core, ctx);
    }
    uint64_t address = ctx->pc;
    if (ec == EC_DABT_LOWER || ec == EC_IABT_LOWER)
        address = sysreg_read(far_el1);
    else if (ec == EC_SP_ALIGN)
        address = ctx->sp;
    return kernel_leave(core, kernel_exception(core, fault_kind_of(ec), address, esr));
}

struct user_context *handle_el0_irq(struct user_context *ctx, struct core *core)
{
    (void)ctx;
    unsigned intid = arch_irq_acknowledge();
    kernel_enter(core);
    return kernel_leave(core, kernel_interrupt(core, intid));
}

struct user_context *handle_el0_serror(struct user_context *ctx, struct core *core, uint64_t esr)
{
    (void)ctx;
    kernel_enter(core);
    return kernel_leave(core, kernel_exception(core, FAULT_OTHER, 0, esr));
}

void kernel_panic_trap(uint64_t esr, uint64_t elr, uint64_t far)
{
    kprintf("pride: kernel trap esr=%lx elr=%lx far=%lx\n", esr, elr, far);
    kernel_panic("unexpected exception in the kernel");
}

#define PSCI_CPU_ON 0xc4000003u
#define PSCI_SUCCESS 0

extern char secondary_start[];
extern uint64_t pride_booted_at_el2; /* boot.S: then PSCI is reached with smc */

/* PSCI through the conduit the firmware (QEMU) answers on: smc when EL2
 * exists (it has no hypervisor of ours), hvc otherwise. */
static int64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn, x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2, x3 __asm__("x3") = a3;
    if (pride_booted_at_el2)
        __asm__ volatile("smc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
    else
        __asm__ volatile("hvc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3) : "memory");
    return (int64_t)x0;
}

bool arch_start_core(unsigned index)
{
    uint64_t entry = (uint64_t)secondary_start - KERNEL_VOFFSET; /* it starts with the MMU off */
    return psci_call(PSCI_CPU_ON, index, entry, index) == PSCI_SUCCESS;
}

struct core *arch_this_core(void)
{
    return (struct core *)sysreg_read(tpidr_el1);
}

void arch_cpu_relax(void)
{
    __asm__ volatile("yield" ::: "memory");
}

void arch_wait_for_interrupt(void)
{
    /* IRQs stay masked in the kernel; a pending one still ends WFI, and
     * the caller then polls the interrupt controller. */
    __asm__ volatile("dsb sy\n wfi" ::: "memory");
}

_Noreturn void arch_start_user(struct user_context *ctx)
{
    return_to_user(ctx);
    __builtin_unreachable();
}

/*
 * AArch64 system-register values the kernel programs. Usable from C and from
 * assembly, so plain integer expressions only.
 */
#ifndef ARCH_SYSREGS_H
#define ARCH_SYSREGS_H

#include <pride/platform.h>

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##UL
#endif

/* SCTLR_EL1: MMU, caches, stack alignment checks at EL1 and EL0 (so a PD
 * with a misaligned SP faults), and EL0 access to DC ZVA (picolibc memset),
 * CTR_EL0 and cache maintenance by VA (drivers doing DMA). WFI at EL0 traps. */
#define SCTLR_RES1 0x30d00800
#define SCTLR_M    (UL(1) << 0)
#define SCTLR_C    (UL(1) << 2)
#define SCTLR_SA   (UL(1) << 3)
#define SCTLR_SA0  (UL(1) << 4)
#define SCTLR_I    (UL(1) << 12)
#define SCTLR_DZE  (UL(1) << 14)
#define SCTLR_UCT  (UL(1) << 15)
#define SCTLR_UCI  (UL(1) << 26)
#define SCTLR_EL1_VALUE (SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_SA0 | \
                         SCTLR_I | SCTLR_DZE | SCTLR_UCT | SCTLR_UCI)

/* TCR_EL1: 4 KiB granule, 39-bit VA in both halves, inner-shareable
 * write-back walks, PLAT_PA_BITS of physical address, 8-bit ASIDs taken from
 * TTBR0. */
#define TCR_T0SZ      25
#define TCR_IRGN0_WB  (UL(1) << 8)
#define TCR_ORGN0_WB  (UL(1) << 10)
#define TCR_SH0_INNER (UL(3) << 12)
#define TCR_T1SZ      (UL(25) << 16)
#define TCR_IRGN1_WB  (UL(1) << 24)
#define TCR_ORGN1_WB  (UL(1) << 26)
#define TCR_SH1_INNER (UL(3) << 28)
#define TCR_TG1_4K    (UL(2) << 30)
#if PLAT_PA_BITS == 40
#define TCR_IPS       (UL(2) << 32) /* IPS encoding of the platform's PA size */
#else
#error "no TCR_EL1.IPS encoding for PLAT_PA_BITS"
#endif
#define TCR_EL1_VALUE (TCR_T0SZ | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | \
                       TCR_T1SZ | TCR_IRGN1_WB | TCR_ORGN1_WB | TCR_SH1_INNER | \
                       TCR_TG1_4K | TCR_IPS)

/* Kernel 1 GiB block descriptors (level 1): EL1-only, never executable from
 * EL0; device memory also not executable from EL1. */
#define KBLOCK_NORMAL ((UL(1) << 0) | (UL(0) << 2) | (UL(3) << 8) | (UL(1) << 10) | (UL(1) << 54))
#define KBLOCK_DEVICE ((UL(1) << 0) | (UL(1) << 2) | (UL(1) << 10) | (UL(1) << 53) | (UL(1) << 54))

/* HCR_EL2.RW: EL1 runs AArch64 when we drop from EL2. */
#define HCR_EL2_RW (UL(1) << 31)
/* CNTHCTL_EL2: EL1 may use the physical counter and timer. */
#define CNTHCTL_EL1PCTEN_EL1PCEN 3
/* CPTR_EL2 with only its RES1 bits: no FP/SIMD traps to EL2. */
#define CPTR_EL2_RES1 0x33ff
/* SPSR for entering EL1h with all interrupts masked. */
#define SPSR_EL1H_MASKED 0x3c5
/* SPSR for EL0t with interrupts enabled. */
#define SPSR_EL0T 0x0

/* CNTKCTL_EL1: every PD may read the virtual counter (timekeeping without a
 * syscall); only the PD that owns the virtual timer's interrupt may program
 * the virtual timer (EL0VTEN), switched per PD. */
#define CNTKCTL_EL0VCTEN (UL(1) << 1)
#define CNTKCTL_EL0VTEN  (UL(1) << 8)

/* CPACR_EL1.FPEN: 3 = FP/SIMD usable at EL0 and EL1, 0 = trapped. */
#define CPACR_FP_ON  (UL(3) << 20)
#define CPACR_FP_OFF 0

/* PMU, benchmark configuration: counters visible at EL0 (PMUSERENR EN | CR
 * | ER), cycle counter enabled, counting EL0 and EL1. Under QEMU -icount the
 * cycle counter counts instructions. */
#define PMUSERENR_EL0_OPEN 0xd
#define PMCR_E  (UL(1) << 0)
#define PMCR_P  (UL(1) << 1)
#define PMCR_C  (UL(1) << 2)
#define PMCR_LC (UL(1) << 6)
#define PMCNTEN_CYCLE (UL(1) << 31)
#define PMU_EVENT_INST_RETIRED 0x08

/* ESR_EL1 exception classes we decode. */
#define EC_UNKNOWN        0x00
#define EC_WFX            0x01
#define EC_FP_ACCESS      0x07
#define EC_ILLEGAL_STATE  0x0e
#define EC_SVC64          0x15
#define EC_MSR_MRS        0x18
#define EC_IABT_LOWER     0x20
#define EC_PC_ALIGN       0x22
#define EC_DABT_LOWER     0x24
#define EC_SP_ALIGN       0x26
#define EC_BRK64          0x3c

/* Layout of struct user_context (must match kernel/arch/aarch64/include/arch/context.h). */
#define CTX_SP    248
#define CTX_PC    256
#define CTX_SPSR  264
#define CTX_TPIDR 272
#define CTX_SIZE  288

/* Offset of the kernel stack top in struct core (first field). */
#define CORE_KSTACK_TOP 0
#define CORE_SHARED     8 /* struct core's shared: system calls take the kernel lock */

#endif

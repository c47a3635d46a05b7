/*
 * Entry from QEMU's -kernel loader: MMU off, at EL2 (virtualization=on) or
 * EL1, running at the physical load address. We drop to EL1, build the two
 * 1 GiB-block kernel mappings, turn the MMU on and continue in the high half.
 * Code before the jump must be position independent (adr/adrp only).
 * Secondary cores (PSCI CPU_ON, arch_start_core) come in at
 * secondary_start the same way, with their index in x0, and share the
 * tables the boot core built.
 */
#include <arch/sysregs.h>
#include <pride/bootspec.h>

    .equ    SECONDARY_STACK_SIZE, 16384

/* At EL2: hand EL1 the timer, counter, PMU and FP, then drop to EL1 at
 * label. At EL1: nothing. */
.macro drop_to_el1 label
    mrs     x9, CurrentEL
    cmp     x9, #(2 << 2)
    b.ne    \label
    mov     x9, #HCR_EL2_RW
    msr     hcr_el2, x9
    mov     x9, #CNTHCTL_EL1PCTEN_EL1PCEN
    msr     cnthctl_el2, x9
    msr     cntvoff_el2, xzr
    mrs     x9, pmcr_el0
    ubfx    x9, x9, #11, #5         /* PMCR.N: all event counters to EL1/EL0 */
    msr     mdcr_el2, x9
    mov     x9, #CPTR_EL2_RES1
    msr     cptr_el2, x9
    msr     vttbr_el2, xzr
    adr     x9, \label
    msr     elr_el2, x9
    mov     x9, #SPSR_EL1H_MASKED
    msr     spsr_el2, x9
    eret
.endm

/* The MMU on with kernel_l1_table as both maps, then on in the high half
 * at label (an absolute address). */
.macro mmu_on_and_go label
    adrp    x9, kernel_l1_table
    ldr     x10, =MAIR_VALUE
    msr     mair_el1, x10
    ldr     x10, =TCR_EL1_VALUE
    msr     tcr_el1, x10
    msr     ttbr0_el1, x9
    msr     ttbr1_el1, x9
    isb
    tlbi    vmalle1
    dsb     nsh
    ldr     x10, =SCTLR_EL1_VALUE
    msr     sctlr_el1, x10
    isb
    ldr     x9, =\label
    br      x9
.endm

    .section .text.boot, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    mrs     x0, CurrentEL
    adr     x1, pride_booted_at_el2  /* (PSCI's conduit: smc if so, else hvc) */
    cmp     x0, #(2 << 2)
    cset    x0, eq
    str     x0, [x1]
    drop_to_el1 in_el1

in_el1:
    /* Zero .bss (physical addresses: adrp is PC-relative). */
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:
    /* One level-1 table serves as identity map (TTBR0) during the switch
     * and as the kernel's high-half map (TTBR1): index = PA >> 30 in both. */
    adrp    x0, kernel_l1_table
    ldr     x1, =KBLOCK_DEVICE      /* PA 0 .. 1 GiB: GIC, UART, virtio */
    str     x1, [x0, #0]
    ldr     x1, =(PLAT_RAM_BASE | KBLOCK_NORMAL)
    str     x1, [x0, #8]
    mmu_on_and_go high_entry

high_entry:
    ldr     x0, =boot_stack_top
    mov     sp, x0
    ldr     x0, =exception_vectors
    msr     vbar_el1, x0
    isb
    bl      kernel_main
3:  wfe
    b       3b

    .global secondary_start
secondary_start:
    msr     daifset, #0xf
    mov     x19, x0                 /* the core's index: survives eret */
    drop_to_el1 secondary_el1
secondary_el1:
    mmu_on_and_go secondary_high
secondary_high:
    ldr     x0, =secondary_stacks
    mov     x1, #SECONDARY_STACK_SIZE
    madd    x0, x19, x1, x0         /* core i's stack ends at i stacks in */
    mov     sp, x0
    ldr     x0, =exception_vectors
    msr     vbar_el1, x0
    isb
    mov     x0, x19
    mov     x1, sp                  /* kernel_secondary_main(index, stack_top) */
    bl      kernel_secondary_main
4:  wfe
    b       4b

    .section .data.pagetable, "aw"
    .balign 4096
    .global kernel_l1_table
kernel_l1_table:
    .space  4096

    .section .data
    .balign 8
    .global pride_booted_at_el2
pride_booted_at_el2:
    .quad   0

    .section .bss
    .balign 16
secondary_stacks:                   /* core i's stack ends at i * SECONDARY_STACK_SIZE */
    .space  SECONDARY_STACK_SIZE * (PLAT_MAX_CORES - 1)
    .balign 16
boot_stack:
    .space  16384
    .global boot_stack_top
boot_stack_top:

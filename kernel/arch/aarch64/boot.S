/*
 * Entry from QEMU's -kernel loader: MMU off, at EL2 (virtualization=on) or
 * EL1, running at the physical load address. We drop to EL1, build the two
 * 1 GiB-block kernel mappings, turn the MMU on and continue in the high half.
 * Code before the jump must be position independent (adr/adrp only).
 */
#include <arch/sysregs.h>
#include <pride/bootspec.h>

    .section .text.boot, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    mrs     x0, CurrentEL
    cmp     x0, #(2 << 2)
    b.ne    in_el1

    /* EL2: hand EL1 the timer, counter, PMU and FP, then drop to EL1. */
    mov     x0, #HCR_EL2_RW
    msr     hcr_el2, x0
    mov     x0, #CNTHCTL_EL1PCTEN_EL1PCEN
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    mrs     x0, pmcr_el0
    ubfx    x0, x0, #11, #5         /* PMCR.N: all event counters to EL1/EL0 */
    msr     mdcr_el2, x0
    mov     x0, #CPTR_EL2_RES1
    msr     cptr_el2, x0
    msr     vttbr_el2, xzr
    adr     x0, in_el1
    msr     elr_el2, x0
    mov     x0, #SPSR_EL1H_MASKED
    msr     spsr_el2, x0
    eret

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

    ldr     x1, =MAIR_VALUE
    msr     mair_el1, x1
    ldr     x1, =TCR_EL1_VALUE
    msr     tcr_el1, x1
    msr     ttbr0_el1, x0
    msr     ttbr1_el1, x0
    isb
    tlbi    vmalle1
    dsb     nsh
    ldr     x1, =SCTLR_EL1_VALUE
    msr     sctlr_el1, x1
    isb

    ldr     x0, =high_entry          /* absolute: a high-half address */
    br      x0

high_entry:
    ldr     x0, =boot_stack_top
    mov     sp, x0
    ldr     x0, =exception_vectors
    msr     vbar_el1, x0
    isb
    bl      kernel_main
3:  wfe
    b       3b

    .section .data.pagetable, "aw"
    .balign 4096
    .global kernel_l1_table
kernel_l1_table:
    .space  4096

    .section .bss
    .balign 16
boot_stack:
    .space  16384
    .global boot_stack_top
boot_stack_top:

/*
 * QEMU virt platform devices owned by the kernel: the GICv2 interrupt
 * controller, the EL1 physical timer (preemption) and the PL011 UART for
 * debug output (polled; user-level drivers take the UART over later).
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

#define MMIO32(pa) (*(volatile uint32_t *)((pa) + KERNEL_VOFFSET))

/* GICv2 distributor and CPU interface. */
#define GICD_CTLR          MMIO32(PLAT_GICD_BASE + 0x000)
#define GICD_TYPER         MMIO32(PLAT_GICD_BASE + 0x004)
#define GICD_ISENABLER(n)  MMIO32(PLAT_GICD_BASE + 0x100 + 4 * (n))
#define GICD_ICENABLER(n)  MMIO32(PLAT_GICD_BASE + 0x180 + 4 * (n))
#define GICD_ICPENDR(n)    MMIO32(PLAT_GICD_BASE + 0x280 + 4 * (n))
#define GICD_IPRIORITYR(n) MMIO32(PLAT_GICD_BASE + 0x400 + 4 * (n))
#define GICD_ITARGETSR(n)  MMIO32(PLAT_GICD_BASE + 0x800 + 4 * (n))
#define GICD_ICFGR(n)      MMIO32(PLAT_GICD_BASE + 0xc00 + 4 * (n))
#define GICC_CTLR MMIO32(PLAT_GICC_BASE + 0x000)
#define GICC_PMR  MMIO32(PLAT_GICC_BASE + 0x004)
#define GICC_BPR  MMIO32(PLAT_GICC_BASE + 0x008)
#define GICC_IAR  MMIO32(PLAT_GICC_BASE + 0x00c)
#define GICC_EOIR MMIO32(PLAT_GICC_BASE + 0x010)

#define GIC_PRIORITY_DEFAULT 0xa0a0a0a0u
#define GIC_TARGET_CPU0      0x01010101u

void arch_irq_init(void)
{
    unsigned lines = 32 * ((GICD_TYPER & 0x1f) + 1);
    GICD_CTLR = 0;
    for (unsigned n = 0; n < lines / 32; n++) {
        GICD_ICENABLER(n) = 0xffffffffu;
        GICD_ICPENDR(n) = 0xffffffffu;
    }
    for (unsigned n = 0; n < lines / 4; n++) {
        GICD_IPRIORITYR(n) = GIC_PRIORITY_DEFAULT;
        if (n >= 8) /* SPIs; the banked SGI/PPI targets are read-only */
            GICD_ITARGETSR(n) = GIC_TARGET_CPU0;
    }
    GICD_CTLR = 1;
    GICC_PMR = 0xf0;
    GICC_BPR = 0;
    GICC_CTLR = 1;
    arch_irq_unmask(PLAT_KERNEL_TIMER_INTID);
}

void arch_irq_configure(unsigned intid, int edge)
{
    if (intid < 32)
        return; /* PPI trigger modes are fixed on QEMU virt */
    unsigned shift = 2 * (intid % 16) + 1;
    uint32_t cfg = GICD_ICFGR(intid / 16) & ~(1u << shift);
    GICD_ICFGR(intid / 16) = cfg | ((uint32_t)(edge != 0) << shift);
}

void arch_irq_mask(unsigned intid)   { GICD_ICENABLER(intid / 32) = 1u << (intid % 32); }
void arch_irq_unmask(unsigned intid) { GICD_ISENABLER(intid / 32) = 1u << (intid % 32); }
unsigned arch_irq_acknowledge(void)  { return GICC_IAR & 0x3ff; }
void arch_irq_end(unsigned intid)    { GICC_EOIR = intid; }

uint64_t arch_counter_hz(void)
{
    uint64_t hz;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    return hz;
}

uint64_t arch_counter_now(void)
{
    uint64_t now;
    __asm__ volatile("isb\n mrs %0, cntpct_el0" : "=r"(now)::"memory");
    return now;
}

void arch_timer_at(uint64_t deadline)
{
    __asm__ volatile("msr cntp_cval_el0, %0\n msr cntp_ctl_el0, %1\n isb"
                     ::"r"(deadline), "r"(1ull) : "memory");
}

/* PL011 UART. */
#define UART_BASE PLAT_PL011_BASE
#define UART_DR   MMIO32(UART_BASE + 0x00)
#define UART_FR   MMIO32(UART_BASE + 0x18)
#define UART_FR_TXFF (1u << 5)

void arch_putc(char c)
{
    while (UART_FR & UART_FR_TXFF)
        ;
    UART_DR = (uint32_t)(unsigned char)c;
}

/*
 * QEMU virt platform devices owned by the kernel: the GICv2 interrupt
 * controller (SPIs routed to their PD's core, SGIs between cores), the EL1
 * physical timer (preemption, one per core) and the PL011 UART for
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
#define GICD_SGIR          MMIO32(PLAT_GICD_BASE + 0xf00)
#define GICC_CTLR MMIO32(PLAT_GICC_BASE + 0x000)
#define GICC_PMR  MMIO32(PLAT_GICC_BASE + 0x004)
#define GICC_BPR  MMIO32(PLAT_GICC_BASE + 0x008)
#define GICC_IAR  MMIO32(PLAT_GICC_BASE + 0x00c)
#define GICC_EOIR MMIO32(PLAT_GICC_BASE + 0x010)

#define GIC_PRIORITY_DEFAULT 0xa0a0a0a0u
#define GIC_TARGET_CPU0      0x01010101u

/* The distributor's shared state (SPIs): once, by the boot core. */
void arch_irq_init(void)
{
    unsigned lines = 32 * ((GICD_TYPER & 0x1f) + 1);
    GICD_CTLR = 0;
    for (unsigned n = 1; n < lines / 32; n++) {
        GICD_ICENABLER(n) = 0xffffffffu;
        GICD_ICPENDR(n) = 0xffffffffu;
    }
    for (unsigned n = 8; n < lines / 4; n++) {
        GICD_IPRIORITYR(n) = GIC_PRIORITY_DEFAULT;
        GICD_ITARGETSR(n) = GIC_TARGET_CPU0;
    }
    GICD_CTLR = 1;
}

/* The calling core's banked SGIs and PPIs and its CPU interface: each core
 * takes the kernel's timer and the reschedule SGI; PD PPIs stay masked
 * until their PD, on this core, acknowledges them. */
void arch_irq_init_core(void)
{
    GICD_ICENABLER(0) = 0xffffffffu;
    GICD_ICPENDR(0) = 0xffffffffu;
    for (unsigned n = 0; n < 8; n++)
        GICD_IPRIORITYR(n) = GIC_PRIORITY_DEFAULT;
    GICC_PMR = 0xf0;
    GICC_BPR = 0;
    GICC_CTLR = 1;
    arch_irq_unmask(PLAT_KERNEL_TIMER_INTID);
    arch_irq_unmask(ARCH_RESCHEDULE_INTID);
}

/* An SPI's trigger and the one core it is delivered to (PPIs are banked:
 * their trigger is fixed and they reach only their own core). */
void arch_irq_configure(unsigned intid, int edge, unsigned core_index)
{
    if (intid < PLAT_GIC_FIRST_SPI)
        return;
    unsigned shift = 2 * (intid % 16) + 1;
    uint32_t cfg = GICD_ICFGR(intid / 16) & ~(1u << shift);
    GICD_ICFGR(intid / 16) = cfg | ((uint32_t)(edge != 0) << shift);
    unsigned byte = 8 * (intid % 4);
    uint32_t targets = GICD_ITARGETSR(intid / 4) & ~(0xffu << byte);
    GICD_ITARGETSR(intid / 4) = targets | (1u << core_index) << byte;
}

void arch_send_reschedule(unsigned core_index)
{
    GICD_SGIR = (1u << (16 + core_index)) | ARCH_RESCHEDULE_INTID;
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

/*
 * QEMU virt (AArch64) platform facts that the kernel and the build tool both
 * depend on: where RAM and the kernel are, how many physical address bits the
 * MMU is set up for, where the interrupt controller lives and which interrupt
 * numbers exist and reach PDs. The tool rejects a .system file that the
 * platform cannot honour; the kernel programs the hardware from the same
 * names. Plain integer expressions only: also included from assembly.
 */
#ifndef PRIDE_PLATFORM_H
#define PRIDE_PLATFORM_H

#ifdef __ASSEMBLER__
#define PRIDE_U64(x) x
#else
#define PRIDE_U64(x) x##ULL
#endif

/* Cores: QEMU's -smp 1..4; core i's MPIDR affinity is i. */
#define PLAT_MAX_CORES 4

/* RAM: QEMU is started with -m 512M. */
#define PLAT_RAM_BASE     PRIDE_U64(0x40000000)
#define PLAT_RAM_SIZE     PRIDE_U64(0x20000000)
#define PLAT_KERNEL_PADDR PRIDE_U64(0x40200000) /* leaves room for QEMU's DTB at RAM base */

/* TCR_EL1.IPS is set for this many physical address bits: any access at or
 * above 2^PLAT_PA_BITS faults. */
#define PLAT_PA_BITS 40

/* GICv2 distributor and CPU interface (QEMU virt's DTB: intc@8000000). */
#define PLAT_GICD_BASE PRIDE_U64(0x08000000)
#define PLAT_GICD_SIZE PRIDE_U64(0x10000)
#define PLAT_GICC_BASE PRIDE_U64(0x08010000)
#define PLAT_GICC_SIZE PRIDE_U64(0x10000)
/* The address window QEMU virt reserves for the interrupt controller. Besides
 * the two frames above it holds the GICv2m MSI frame (0x08020000: a write
 * raises any SPI), with virtualization=on the hypervisor and virtual CPU
 * interfaces, and with gic-version=3 the ITS and redistributors. The kernel
 * owns all of it: no PD may map any part. */
#define PLAT_GIC_WINDOW_BASE PRIDE_U64(0x08000000)
#define PLAT_GIC_WINDOW_SIZE PRIDE_U64(0x01000000)

/* Interrupt numbers (INTIDs): SGIs below 16, PPIs 16..31, SPIs from 32.
 * GICD_TYPER.ITLinesNumber reads 8 on QEMU 7.2 virt: 32 * (8 + 1) INTIDs,
 * that is 256 SPIs. */
#define PLAT_GIC_FIRST_PPI  16
#define PLAT_GIC_FIRST_SPI  32
#define PLAT_GIC_NUM_INTIDS 288

/* PPIs. The EL1 physical timer is the kernel's preemption timer. The kernel
 * delivers to PDs only the PPIs in PLAT_PD_PPIS (bit n = INTID n): today the
 * virtual timer. A PPI's trigger is fixed by the hardware; PLAT_PD_PPIS_EDGE
 * has a bit set for each of them that is edge-triggered (the timers are
 * level-triggered). */
#define PLAT_KERNEL_TIMER_INTID 30
#define PLAT_VTIMER_INTID       27
#define PLAT_PD_PPIS            (1u << PLAT_VTIMER_INTID)
#define PLAT_PD_PPIS_EDGE       0u

/* The PL011 UART (the kernel's debug console, and the serial driver's). */
#define PLAT_PL011_BASE  PRIDE_U64(0x09000000)
#define PLAT_PL011_INTID 33

/* The PL031 real-time clock: seconds since 1970 (UTC) from the host's clock. */
#define PLAT_PL031_BASE  PRIDE_U64(0x09010000)

/* virtio-mmio transports: PLAT_VIRTIO_SLOTS slots of PLAT_VIRTIO_SLOT_SIZE
 * bytes from PLAT_VIRTIO_BASE, slot n raising SPI n (INTID 32 + 16 + n).
 * QEMU puts the first -device of the command line in the highest slot, so
 * a system's first device is found in the last page, at the last INTID. */
#define PLAT_VIRTIO_BASE       PRIDE_U64(0x0a000000)
#define PLAT_VIRTIO_SLOT_SIZE  0x200
#define PLAT_VIRTIO_SLOTS      32
#define PLAT_VIRTIO_FIRST_INTID 48
#define PLAT_VIRTIO_LAST_PAGE  (PLAT_VIRTIO_BASE + (PLAT_VIRTIO_SLOTS * PLAT_VIRTIO_SLOT_SIZE) - 0x1000)
#define PLAT_VIRTIO_LAST_INTID (PLAT_VIRTIO_FIRST_INTID + PLAT_VIRTIO_SLOTS - 1)

#endif

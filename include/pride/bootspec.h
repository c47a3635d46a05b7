/*
 * Boot specification: the contract between the build tool (host) and the
 * kernel (target).
 *
 * The tool validates the .system file, lays out physical memory, builds every
 * PD's page tables and writes one struct bootspec into the image. At boot the
 * kernel checks magic, version, size and checksum, then installs the PDs
 * exactly as described; it makes no policy decisions of its own.
 *
 * Every field is fixed-size and little-endian so the same header compiles for
 * the host tool and the AArch64 kernel.
 */
#ifndef PRIDE_BOOTSPEC_H
#define PRIDE_BOOTSPEC_H

#include <pride/platform.h>

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define BOOTSPEC_MAGIC   PRIDE_U64(0x31435053454449) /* "IDESPC1" */
#define BOOTSPEC_VERSION 2

/* System-wide limits (also enforced by the tool). */
#define PRIDE_MAX_PDS      63
#define PRIDE_MAX_CHANNELS 62  /* channel ids 0..61 per PD */
#define PRIDE_MAX_IRQS     64  /* IRQs in the whole system */
#define PRIDE_MAX_MRS      64  /* message words in one PPC */
#define PRIDE_NAME_LEN     64  /* PD name including the NUL */
#define PRIDE_NO_PD        0xff
#define PRIDE_MAX_PRIORITY 254 /* the Microkit's highest priority */

/* The kernel sees all physical memory at PA + KERNEL_VOFFSET (TTBR1 half). */
#define KERNEL_VOFFSET    PRIDE_U64(0xFFFFFF8000000000)

/*
 * User address spaces: 4 KiB granule, 39-bit VA (T0SZ = 25), translation
 * starts at level 1; so a PD's root table covers 0 .. USER_VA_LIMIT.
 */
#define USER_VA_LIMIT     PRIDE_U64(0x8000000000)
#define USER_STACK_TOP    PRIDE_U64(0x7FFFFFF000) /* one unmapped guard page above */
#define PAGE_SIZE_SMALL   PRIDE_U64(0x1000)
#define PAGE_SIZE_LARGE   PRIDE_U64(0x200000)

/* Stage-1 descriptor bits used in the tool-built user page tables. */
#define PTE_VALID      (PRIDE_U64(1) << 0)
#define PTE_TABLE      (PRIDE_U64(1) << 1) /* levels 1-2: next-level table */
#define PTE_PAGE       (PRIDE_U64(1) << 1) /* level 3: page */
#define PTE_ATTR(i)    ((i) << 2) /* i is a small MAIR index */
#define PTE_AP_RW_EL0  (PRIDE_U64(1) << 6) /* AP = 01: EL1 RW, EL0 RW */
#define PTE_AP_RO_EL0  (PRIDE_U64(3) << 6) /* AP = 11: EL1 RO, EL0 RO */
#define PTE_SH_INNER   (PRIDE_U64(3) << 8)
#define PTE_AF         (PRIDE_U64(1) << 10)
#define PTE_NG         (PRIDE_U64(1) << 11) /* ASID-tagged */
#define PTE_PXN        (PRIDE_U64(1) << 53) /* the kernel never executes user pages */
#define PTE_UXN        (PRIDE_U64(1) << 54)
#define PTE_ADDR_MASK  PRIDE_U64(0x0000FFFFFFFFF000)

/* MAIR_EL1 attribute indices (the kernel programs MAIR accordingly). */
#define MAIR_IDX_NORMAL 0 /* 0xff: normal, write-back cacheable */
#define MAIR_IDX_DEVICE 1 /* 0x00: device nGnRnE (cached="false") */
#define MAIR_IDX_NC     2 /* 0x44: normal non-cacheable */
#define MAIR_VALUE      PRIDE_U64(0x000000000044ff00)

#ifndef __ASSEMBLER__
enum bootspec_channel_kind {
    CH_NONE = 0,
    CH_PD   = 1, /* channel to another PD */
    CH_IRQ  = 2, /* hardware interrupt delivered as a notification */
};

enum bootspec_channel_flags {
    CH_MAY_NOTIFY = 1 << 0, /* this end may notify the peer */
    CH_MAY_PPC    = 1 << 1, /* this end may call the peer (pp="true") */
};

struct bootspec_channel {
    uint8_t kind;    /* enum bootspec_channel_kind */
    uint8_t flags;   /* enum bootspec_channel_flags (CH_PD only) */
    uint8_t peer_pd; /* CH_PD: index of the other PD */
    uint8_t peer_id; /* CH_PD: channel id at the other end */
    uint16_t irq;    /* CH_IRQ: GIC INTID */
    uint8_t trigger; /* CH_IRQ: 0 level, 1 edge */
    uint8_t reserved;
};

struct bootspec_pd {
    char name[PRIDE_NAME_LEN]; /* NUL-terminated */
    uint64_t entry;         /* user VA of the ELF entry point */
    uint64_t stack_top;     /* user VA; initial SP */
    uint64_t pgd_paddr;     /* PA of the level-1 translation table */
    uint64_t ipc_buffer_paddr; /* PA of the page-aligned pride_ipc_buffer */
    uint32_t budget_us;
    uint32_t period_us;
    uint8_t priority;       /* 0..PRIDE_MAX_PRIORITY */
    uint8_t passive;
    uint8_t parent;         /* PD index, or PRIDE_NO_PD */
    uint8_t id_in_parent;   /* child id the parent uses for this PD */
    uint8_t cpu;            /* the core it runs on, below PLAT_MAX_CORES */
    uint8_t reserved[3];
    uint8_t child_pd[PRIDE_MAX_CHANNELS]; /* child id -> PD index or PRIDE_NO_PD */
    uint8_t reserved2[2];
    struct bootspec_channel channels[PRIDE_MAX_CHANNELS];
};

struct bootspec {
    uint64_t magic;     /* BOOTSPEC_MAGIC */
    uint32_t version;   /* BOOTSPEC_VERSION */
    uint32_t size;      /* sizeof(struct bootspec) */
    uint32_t checksum;  /* bootspec_checksum() with this field taken as 0 */
    uint32_t num_pds;   /* 1..PRIDE_MAX_PDS */
    struct bootspec_pd pds[PRIDE_MAX_PDS];
};

/* Fletcher-style 32-bit checksum over the spec with 'checksum' read as 0. */
static inline uint32_t bootspec_checksum(const struct bootspec *spec)
{
    const uint8_t *bytes = (const uint8_t *)spec;
    const uint64_t skip_lo = (uint64_t)((const uint8_t *)&spec->checksum - bytes);
    uint32_t a = 1, b = 0;
    for (uint64_t i = 0; i < sizeof(*spec); i++) {
        uint8_t byte = (i >= skip_lo && i < skip_lo + 4) ? 0 : bytes[i];
        a = (a + byte) % 65521;
        b = (b + a) % 65521;
    }
    return (b << 16) | a;
}
#endif /* !__ASSEMBLER__ */

#endif

/*
 * Kernel start: check the boot spec the build tool wrote, start the other
 * cores, install the PDs, start each core's preemption timer and enter
 * each core's first PD. The spec is trusted to
 * be well-formed only after these checks; a bad one stops the boot with a
 * message rather than running a half-built system.
 */
#include <arch/arch.h>
#include <kernel/kernel.h>

/* Patched by the build tool; .data so that it has a place in the image. */
__attribute__((section(".data"))) uint64_t pride_bootspec_paddr;

extern char boot_stack_top[];
static struct core cores[PLAT_MAX_CORES]; /* cores[0] boots the system */
static bool core_up[PLAT_MAX_CORES]; /* each written by its own core only */
static bool pds_installed; /* written by the boot core: the others may start */

/* A core with none of the system's PDs waits for ever: nothing interrupts
 * it (WFI, not WFE: an emulator runs WFE as a busy loop). */
static _Noreturn void park(void)
{
    for (;;)
        arch_wait_for_interrupt();
}

static bool has_pds(const struct core *core)
{
    for (unsigned i = 0; i < num_pds; i++)
        if (pds[i].core == core)
            return true;
    return false;
}

/* Once the PDs are installed: a core runs its own, or parks if it has none. */
static _Noreturn void run_pds(struct core *core)
{
    if (!has_pds(core))
        park();
    kernel_enter(core);
    budget_start(core);
    arch_start_user(kernel_leave(core, kernel_exit(core)));
}

/* A secondary core, up with the MMU on, on its own stack: it reports in
 * and waits for the boot core to install the PDs. */
void kernel_secondary_main(unsigned index, uint64_t stack_top)
{
    struct core *core = &cores[index];
    core->kstack_top = stack_top;
    core->index = (uint8_t)index;
    arch_init_core(core);
    arch_irq_init_core();
    __atomic_store_n(&core_up[index], true, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&pds_installed, __ATOMIC_ACQUIRE))
        __asm__ volatile("wfe");
    run_pds(core);
}

/* Every other core the platform has, started and waited for. */
static unsigned start_secondaries(void)
{
    unsigned started = 1;
    for (unsigned i = 1; i < PLAT_MAX_CORES && arch_start_core(i); i++) {
        for (unsigned spins = 0; !__atomic_load_n(&core_up[i], __ATOMIC_ACQUIRE); spins++)
            if (spins == 100000000u)
                kernel_panic("a secondary core did not come up");
        started++;
    }
    return started;
}

/* The cores that have PDs (all started: else the boot stops) take the
 * kernel lock from now on, if there is more than one. */
static unsigned share_cores(unsigned started)
{
    unsigned used = 0;
    for (unsigned i = 0; i < PLAT_MAX_CORES; i++) {
        if (!has_pds(&cores[i]))
            continue;
        if (i >= started) {
            kprintf("pride: a protection domain is on core %u, but %u cores started\n", i,
                    started);
            kernel_panic("run with more cores (QEMU's -smp)");
        }
        used++;
    }
    for (unsigned i = 0; i < PLAT_MAX_CORES; i++)
        cores[i].shared = used > 1 && has_pds(&cores[i]);
    return used;
}

static bool ram_page(uint64_t paddr)
{
    return paddr % PAGE_SIZE_SMALL == 0 && paddr >= PLAT_RAM_BASE &&
           paddr < PLAT_RAM_BASE + PLAT_RAM_SIZE;
}

/* The tool's rules again: an SPI the GIC has, or a PPI the kernel delivers
 * to PDs, with that PPI's fixed trigger. */
static bool irq_deliverable(unsigned intid, unsigned edge)
{
    if (edge > 1 || intid < PLAT_GIC_FIRST_PPI || intid >= PLAT_GIC_NUM_INTIDS)
        return false;
    if (intid >= PLAT_GIC_FIRST_SPI)
        return true;
    return ((PLAT_PD_PPIS >> intid) & 1) && edge == ((PLAT_PD_PPIS_EDGE >> intid) & 1);
}

/* Names reach the console in fault reports: printable ASCII only. */
static bool printable_name(const char *name)
{
    for (unsigned i = 0; i < PRIDE_NAME_LEN && name[i]; i++)
        if (name[i] < ' ' || name[i] > '~')
            return false;
    return name[PRIDE_NAME_LEN - 1] == 0;
}

static const char *check_channel(const struct bootspec *spec, const struct bootspec_channel *c)
{
    switch (c->kind) {
    case CH_NONE: return 0;
    case CH_PD:
        if (c->peer_pd >= spec->num_pds || c->peer_id >= PRIDE_MAX_CHANNELS)
            return "channel to a PD that does not exist";
        return 0;
    case CH_IRQ:
        if (!irq_deliverable(c->irq, c->trigger))
            return "IRQ the kernel cannot deliver";
        return 0;
    default: return "unknown channel kind";
    }
}

static const char *check_pd(const struct bootspec *spec, const struct bootspec_pd *pd)
{
    if (!printable_name(pd->name))
        return "PD name not terminated or not printable";
    if (pd->priority > PRIDE_MAX_PRIORITY || (pd->parent != PRIDE_NO_PD && pd->parent >= spec->num_pds))
        return "bad priority or parent";
    if (pd->cpu >= PLAT_MAX_CORES)
        return "PD on a core the platform does not have";
    if (!ram_page(pd->pgd_paddr) || !ram_page(pd->ipc_buffer_paddr))
        return "page table or IPC buffer outside RAM";
    if (pd->entry >= USER_VA_LIMIT || pd->stack_top > USER_VA_LIMIT)
        return "entry or stack outside the user address range";
    for (unsigned i = 0; i < PRIDE_MAX_CHANNELS; i++) {
        if (pd->child_pd[i] != PRIDE_NO_PD && pd->child_pd[i] >= spec->num_pds)
            return "child PD does not exist";
        const char *why = check_channel(spec, &pd->channels[i]);
        if (why)
            return why;
    }
    return 0;
}

static const struct bootspec *checked_spec(void)
{
    if (!pride_bootspec_paddr || !ram_page(pride_bootspec_paddr))
        kernel_panic("no boot spec: boot an image made by 'pride build'");
    const struct bootspec *spec = (const void *)(pride_bootspec_paddr + KERNEL_VOFFSET);
    if (spec->magic != BOOTSPEC_MAGIC || spec->version != BOOTSPEC_VERSION ||
        spec->size != sizeof(*spec))
        kernel_panic("boot spec has the wrong magic, version or size");
    if (spec->checksum != bootspec_checksum(spec))
        kernel_panic("boot spec checksum mismatch");
    if (spec->num_pds == 0 || spec->num_pds > PRIDE_MAX_PDS)
        kernel_panic("boot spec has a bad PD count");
    for (unsigned i = 0; i < spec->num_pds; i++) {
        const char *why = check_pd(spec, &spec->pds[i]);
        if (why) {
            kprintf("pride: boot spec PD %u: %s\n", i, why);
            kernel_panic("invalid boot spec");
        }
    }
    return spec;
}

void kernel_main(void)
{
    struct core *core = &cores[0];
    core->kstack_top = (uint64_t)boot_stack_top;
    arch_init_core(core);
    const struct bootspec *spec = checked_spec();
    arch_irq_init();
    arch_irq_init_core();
    unsigned started = start_secondaries();
    num_pds = spec->num_pds;
    for (unsigned i = 0; i < num_pds; i++)
        pd_install(cores, spec, i);
    sched_init();
    for (unsigned i = 0; i < num_pds; i++)
        sched_wake(&pds[i]); /* (before the cores share: no SGIs yet) */
    unsigned used = share_cores(started);
    kprintf("pride: kernel up, %u protection domains\n", num_pds);
    if (started > 1)
        kprintf("pride: %u cores up, protection domains on %u\n", started, used);
    __atomic_store_n(&pds_installed, true, __ATOMIC_RELEASE);
    __asm__ volatile("sev");
    run_pds(core);
}

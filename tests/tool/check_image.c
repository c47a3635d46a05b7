/*
 * Host checker for images written by `pride build`.
 *
 *   check_image IMAGE KERNEL COMMAND...
 *
 * Always checks the ELF header, the entry point, and that the kernel's
 * pride_bootspec_paddr points at a boot spec with valid magic, version, size
 * and checksum. Then runs each command (arguments follow the command name):
 *
 *   pds N                       number of PDs
 *   map PD VA FLAGS [PA|-]      VA is mapped; FLAGS = 5 chars: r, w|-, x|-,
 *                               c (cached) | d (device), P (4 KiB page) | B (2 MiB block)
 *   unmapped PD VA              VA is not mapped
 *   u64 PD VA VALUE             the 8 bytes at PD's VA equal VALUE
 *   u64pa PD VA PD2 VA2         the 8 bytes at PD's VA equal the PA of PD2's VA2
 *   samepa PD VA PD2 VA2        both VAs translate to the same PA
 *   str PD VA TEXT              NUL-terminated TEXT at PD's VA
 *   chan PD ID PEER PEER_ID FLAGS
 *   irq PD ID INTID TRIGGER
 *   child PARENT ID CHILD
 *   sched PD PRIORITY BUDGET PERIOD PASSIVE
 *   ipc PD VA                   ipc_buffer_paddr is the PA of PD's VA
 *   entry PD VA                 the PD's entry point
 *   outside PD VA LO HI         VA's PA is not in [LO, HI)
 *
 * Prints nothing and exits 0 on success; otherwise one reason on stderr.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pride/bootspec.h"

struct file {
    unsigned char *buf;
    size_t len;
    Elf64_Ehdr eh;
};

static struct file image, kernel;
static struct bootspec spec;

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static void load(struct file *f, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die("cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    f->len = (size_t)ftell(fp);
    rewind(fp);
    f->buf = malloc(f->len + 1);
    if (!f->buf || fread(f->buf, 1, f->len, fp) != f->len || f->len < sizeof(f->eh))
        die("cannot read %s", path);
    fclose(fp);
    memcpy(&f->eh, f->buf, sizeof(f->eh));
}

static Elf64_Phdr phdr(const struct file *f, unsigned i)
{
    Elf64_Phdr ph;
    memcpy(&ph, f->buf + f->eh.e_phoff + i * sizeof(ph), sizeof(ph));
    return ph;
}

/* Reads physical memory as QEMU would after loading the image. */
static void read_pa(uint64_t pa, void *out, size_t n)
{
    unsigned char *dst = out;
    for (size_t k = 0; k < n; k++) {
        int found = 0;
        for (unsigned i = 0; i < image.eh.e_phnum && !found; i++) {
            Elf64_Phdr ph = phdr(&image, i);
            if (ph.p_type != PT_LOAD || pa + k < ph.p_paddr || pa + k >= ph.p_paddr + ph.p_memsz)
                continue;
            uint64_t off = pa + k - ph.p_paddr;
            dst[k] = off < ph.p_filesz ? image.buf[ph.p_offset + off] : 0;
            found = 1;
        }
        if (!found)
            die("physical address not loaded by the image (%s)", "read_pa");
    }
}

static uint64_t read_u64(uint64_t pa)
{
    uint64_t v;
    read_pa(pa, &v, 8);
    return v;
}

static uint64_t kernel_symbol(const char *name)
{
    for (unsigned i = 0; i < kernel.eh.e_shnum; i++) {
        Elf64_Shdr sh, str;
        memcpy(&sh, kernel.buf + kernel.eh.e_shoff + i * sizeof(sh), sizeof(sh));
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        memcpy(&str, kernel.buf + kernel.eh.e_shoff + sh.sh_link * sizeof(str), sizeof(str));
        for (uint64_t off = 0; off < sh.sh_size; off += sizeof(Elf64_Sym)) {
            Elf64_Sym sym;
            memcpy(&sym, kernel.buf + sh.sh_offset + off, sizeof(sym));
            if (!strcmp((char *)kernel.buf + str.sh_offset + sym.st_name, name))
                return sym.st_value;
        }
    }
    die("kernel symbol %s not found", name);
    return 0;
}

/* Kernel VA -> PA through the image's own (kernel) segments. */
static uint64_t kernel_va_to_pa(uint64_t va)
{
    for (unsigned i = 0; i < image.eh.e_phnum; i++) {
        Elf64_Phdr ph = phdr(&image, i);
        if (va >= ph.p_vaddr && va < ph.p_vaddr + ph.p_memsz)
            return va - ph.p_vaddr + ph.p_paddr;
    }
    die("kernel VA not in the image (%s)", "kernel_va_to_pa");
    return 0;
}

static void check_header_and_spec(void)
{
    if (memcmp(image.buf, ELFMAG, SELFMAG) || image.eh.e_machine != EM_AARCH64 ||
        image.eh.e_type != ET_EXEC || image.eh.e_ident[EI_CLASS] != ELFCLASS64)
        die("%s: bad ELF header", "image");
    if (image.eh.e_entry != kernel_va_to_pa(kernel.eh.e_entry))
        die("%s: e_entry is not the kernel's physical entry", "image");
    uint64_t spec_pa = read_u64(kernel_va_to_pa(kernel_symbol("pride_bootspec_paddr")));
    if (spec_pa % 4096 || spec_pa < PLAT_RAM_BASE || spec_pa >= PLAT_RAM_BASE + PLAT_RAM_SIZE)
        die("%s: boot spec address is not a page in RAM", "image");
    read_pa(spec_pa, &spec, sizeof(spec));
    if (spec.magic != BOOTSPEC_MAGIC || spec.version != BOOTSPEC_VERSION ||
        spec.size != sizeof(spec))
        die("%s: bad boot spec magic/version/size", "image");
    if (spec.checksum != bootspec_checksum(&spec))
        die("%s: bad boot spec checksum", "image");
    if (spec.num_pds < 1 || spec.num_pds > PRIDE_MAX_PDS)
        die("%s: bad num_pds", "image");
}

static unsigned pd_index(const char *name)
{
    for (unsigned i = 0; i < spec.num_pds; i++)
        if (!strcmp(spec.pds[i].name, name))
            return i;
    die("no PD named %s", name);
    return 0;
}

static uint64_t num(const char *s)
{
    return strtoull(s, NULL, 0);
}

/* Walks the PD's tables; returns the leaf descriptor (0 if unmapped), *pa, *block. */
static uint64_t walk(const char *pd, uint64_t va, uint64_t *pa, int *block)
{
    uint64_t table = spec.pds[pd_index(pd)].pgd_paddr;
    uint64_t d = read_u64(table + ((va >> 30) & 511) * 8);
    if ((d & 3) != 3)
        return 0;
    d = read_u64((d & PTE_ADDR_MASK) + ((va >> 21) & 511) * 8);
    if ((d & 3) == 1) {
        *block = 1;
        *pa = (d & PTE_ADDR_MASK & ~(PAGE_SIZE_LARGE - 1)) | (va & (PAGE_SIZE_LARGE - 1));
        return d;
    }
    if ((d & 3) != 3)
        return 0;
    d = read_u64((d & PTE_ADDR_MASK) + ((va >> 12) & 511) * 8);
    if ((d & 3) != 3)
        return 0;
    *block = 0;
    *pa = (d & PTE_ADDR_MASK) | (va & 0xfff);
    return d;
}

static uint64_t translate(const char *pd, const char *va_text)
{
    uint64_t pa;
    int block;
    if (!walk(pd, num(va_text), &pa, &block))
        die("VA %s is not mapped", va_text);
    return pa;
}

static void check_map(char **a, int n)
{
    uint64_t pa;
    int block;
    uint64_t d = walk(a[0], num(a[1]), &pa, &block);
    if (!d)
        die("VA %s is not mapped", a[1]);
    char got[6] = {
        'r', (d & (3ULL << 6)) == PTE_AP_RW_EL0 ? 'w' : '-', d & PTE_UXN ? '-' : 'x',
        ((d >> 2) & 7) == MAIR_IDX_NORMAL ? 'c' : 'd', block ? 'B' : 'P', 0,
    };
    uint64_t must = PTE_AF | PTE_NG | PTE_PXN;
    if ((d & must) != must || ((d & PTE_SH_INNER) != 0) != (got[3] == 'c'))
        die("VA %s: descriptor lacks AF/nG/PXN or has wrong shareability", a[1]);
    if (strcmp(got, a[2]))
        die("VA %s: flags differ", a[1]);
    if (n > 3 && strcmp(a[3], "-") && pa != num(a[3]))
        die("VA %s: maps a different physical address", a[1]);
}

static int run(char **a, int n)
{
    const char *cmd = a[0];
    a++;
    n--;
    if (!strcmp(cmd, "pds") && n == 1)
        return spec.num_pds == num(a[0]);
    if (!strcmp(cmd, "map") && n >= 3) {
        check_map(a, n);
        return 1;
    }
    if (!strcmp(cmd, "unmapped") && n == 2) {
        uint64_t pa;
        int block;
        return !walk(a[0], num(a[1]), &pa, &block);
    }
    if (!strcmp(cmd, "u64") && n == 3)
        return read_u64(translate(a[0], a[1])) == num(a[2]);
    if (!strcmp(cmd, "u64pa") && n == 4)
        return read_u64(translate(a[0], a[1])) == translate(a[2], a[3]);
    if (!strcmp(cmd, "samepa") && n == 4)
        return translate(a[0], a[1]) == translate(a[2], a[3]);
    if (!strcmp(cmd, "str") && n == 3) {
        char buf[256] = { 0 };
        size_t len = strlen(a[2]) + 1;
        read_pa(translate(a[0], a[1]), buf, len < sizeof(buf) ? len : sizeof(buf));
        return !strcmp(buf, a[2]);
    }
    if (!strcmp(cmd, "chan") && n == 5) {
        const struct bootspec_channel *c = &spec.pds[pd_index(a[0])].channels[num(a[1])];
        return c->kind == CH_PD && c->peer_pd == pd_index(a[2]) && c->peer_id == num(a[3]) &&
               c->flags == num(a[4]);
    }
    if (!strcmp(cmd, "irq") && n == 4) {
        const struct bootspec_channel *c = &spec.pds[pd_index(a[0])].channels[num(a[1])];
        return c->kind == CH_IRQ && c->irq == num(a[2]) && c->trigger == num(a[3]);
    }
    if (!strcmp(cmd, "child") && n == 3) {
        unsigned parent = pd_index(a[0]), child = pd_index(a[2]);
        return spec.pds[parent].child_pd[num(a[1])] == child &&
               spec.pds[child].parent == parent && spec.pds[child].id_in_parent == num(a[1]);
    }
    if (!strcmp(cmd, "sched") && n == 5) {
        const struct bootspec_pd *p = &spec.pds[pd_index(a[0])];
        return p->priority == num(a[1]) && p->budget_us == num(a[2]) &&
               p->period_us == num(a[3]) && p->passive == num(a[4]);
    }
    if (!strcmp(cmd, "ipc") && n == 2)
        return spec.pds[pd_index(a[0])].ipc_buffer_paddr == translate(a[0], a[1]);
    if (!strcmp(cmd, "outside") && n == 4) {
        uint64_t pa = translate(a[0], a[1]);
        return pa < num(a[2]) || pa >= num(a[3]);
    }
    if (!strcmp(cmd, "entry") && n == 2)
        return spec.pds[pd_index(a[0])].entry == num(a[1]);
    die("bad command %s", cmd);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        die("usage: %s IMAGE KERNEL COMMAND...", argv[0]);
    load(&image, argv[1]);
    load(&kernel, argv[2]);
    check_header_and_spec();
    /* commands are separated by ";" arguments */
    for (int i = 3; i < argc;) {
        int j = i;
        while (j < argc && strcmp(argv[j], ";"))
            j++;
        if (!run(argv + i, j - i)) {
            fprintf(stderr, "check failed:");
            for (int k = i; k < j; k++)
                fprintf(stderr, " %s", argv[k]);
            fputc('\n', stderr);
            return 1;
        }
        i = j + 1;
    }
    return 0;
}

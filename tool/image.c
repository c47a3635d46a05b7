/*
 * The output: an ELF64 AArch64 executable with program headers only. QEMU's
 * loader copies each PT_LOAD to p_paddr and zero-fills up to p_memsz, which
 * is all the kernel needs. Segments the tool adds have p_vaddr == p_paddr.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tool.h"

/* Zeros we are willing to store in the file to save a program header. */
#define MERGE_ZERO_LIMIT 0x10000

static bool mergeable(const struct out_seg *prev, const struct out_seg *seg)
{
    if (prev->kernel || seg->kernel || prev->flags != seg->flags ||
        prev->paddr + prev->memsz != seg->paddr)
        return false;
    return !seg->filesz || prev->memsz - prev->filesz <= MERGE_ZERO_LIMIT;
}

/* Appends 'seg's data at the end of 'prev' (after its zero tail), in a buffer
 * of prev's own that grows by doubling, so each byte is copied O(1) times.
 * Bytes past filesz are never written, so the calloc'd zeros stay. */
static void append_data(struct out_seg *prev, const struct out_seg *seg)
{
    uint64_t need = prev->memsz + seg->filesz;
    if (need > prev->merged_cap) {
        uint64_t cap = prev->merged_cap * 2 > need ? prev->merged_cap * 2 : need;
        uint8_t *merged = xcalloc(cap, 1);
        if (prev->filesz)
            memcpy(merged, prev->data, prev->filesz);
        prev->data = prev->merged = merged;
        prev->merged_cap = cap;
    }
    memcpy(prev->merged + prev->memsz, seg->data, seg->filesz);
    prev->filesz = need;
}

/* Adjacent tool segments are coalesced: a zero-fill tail just grows memsz;
 * data after a zero tail materialises those zeros in the file. */
void image_add(struct image *img, const struct out_seg *seg)
{
    if (img->nsegs && mergeable(&img->segs[img->nsegs - 1], seg)) {
        struct out_seg *prev = &img->segs[img->nsegs - 1];
        if (seg->filesz)
            append_data(prev, seg);
        prev->memsz += seg->memsz;
        return;
    }
    if (img->nsegs == img->cap) {
        size_t cap = img->cap ? img->cap * 2 : 16;
        struct out_seg *segs = xcalloc(cap, sizeof(*segs));
        if (img->nsegs)
            memcpy(segs, img->segs, img->nsegs * sizeof(*segs));
        img->segs = segs;
        img->cap = cap;
    }
    img->segs[img->nsegs++] = *seg;
}

static Elf64_Ehdr make_header(const struct image *img)
{
    Elf64_Ehdr eh;
    memset(&eh, 0, sizeof(eh));
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_SYSV;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_AARCH64;
    eh.e_version = EV_CURRENT;
    eh.e_entry = img->entry;
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (Elf64_Half)img->nsegs;
    return eh;
}

static bool write_zeros(FILE *f, uint64_t n)
{
    static const uint8_t zeros[4096];
    while (n) {
        size_t chunk = n < sizeof(zeros) ? (size_t)n : sizeof(zeros);
        if (fwrite(zeros, 1, chunk, f) != chunk)
            return false;
        n -= chunk;
    }
    return true;
}

void image_write(const struct image *img, const char *path)
{
    if (img->nsegs >= PN_XNUM)
        fail_path(path, "too many segments (%zu)", img->nsegs);
    Elf64_Ehdr eh = make_header(img);
    Elf64_Phdr *ph = xcalloc(img->nsegs, sizeof(*ph));
    /* file offsets congruent to addresses modulo the page size, as loaders expect */
    uint64_t off = sizeof(eh) + img->nsegs * sizeof(*ph);
    for (size_t i = 0; i < img->nsegs; i++) {
        const struct out_seg *s = &img->segs[i];
        off += (s->vaddr - off) & (PAGE_SIZE_SMALL - 1);
        ph[i] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = s->flags, .p_offset = off,
                              .p_vaddr = s->vaddr, .p_paddr = s->paddr,
                              .p_filesz = s->filesz, .p_memsz = s->memsz,
                              .p_align = PAGE_SIZE_SMALL };
        off += s->filesz;
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_path(path, "cannot write: %s", strerror(errno));
    bool ok = fwrite(&eh, sizeof(eh), 1, f) == 1 &&
              fwrite(ph, sizeof(*ph), img->nsegs, f) == img->nsegs;
    uint64_t pos = sizeof(eh) + img->nsegs * sizeof(*ph);
    for (size_t i = 0; ok && i < img->nsegs; i++) {
        if (!ph[i].p_filesz)
            continue;
        ok = write_zeros(f, ph[i].p_offset - pos) &&
             fwrite(img->segs[i].data, 1, ph[i].p_filesz, f) == ph[i].p_filesz;
        pos = ph[i].p_offset + ph[i].p_filesz;
    }
    if (fclose(f) != 0 || !ok) {
        remove(path);
        fail_path(path, "cannot write: %s", strerror(errno ? errno : EIO));
    }
}

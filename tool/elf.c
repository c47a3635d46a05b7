/*
 * Reading ELF64 AArch64 executables: PT_LOAD segments, the entry point and
 * .symtab. Input files are untrusted, so every offset and size is checked
 * against the file before use, and structures are copied out with memcpy
 * (file offsets need not be aligned for the host).
 */
#include <elf.h>
#include <string.h>

#include "tool.h"

static bool in_file(const struct elf_file *ef, uint64_t off, uint64_t size)
{
    return off <= ef->len && size <= ef->len - off;
}

static const char *load_segments(struct elf_file *ef, const Elf64_Ehdr *eh)
{
    if (eh->e_phnum == 0)
        return "has no program headers";
    if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
        !in_file(ef, eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr)))
        return "has corrupt program headers";
    ef->segs = xcalloc(eh->e_phnum, sizeof(struct elf_seg));
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, ef->buf + eh->e_phoff + i * sizeof(ph), sizeof(ph));
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || !in_file(ef, ph.p_offset, ph.p_filesz) ||
            ph.p_vaddr + ph.p_memsz < ph.p_vaddr || ph.p_paddr + ph.p_memsz < ph.p_paddr)
            return "has a corrupt PT_LOAD segment";
        ef->segs[ef->nsegs++] = (struct elf_seg){
            .vaddr = ph.p_vaddr, .paddr = ph.p_paddr, .offset = ph.p_offset,
            .filesz = ph.p_filesz, .memsz = ph.p_memsz, .flags = ph.p_flags,
        };
    }
    if (!ef->nsegs)
        return "has no loadable segments";
    return NULL;
}

static bool read_shdr(const struct elf_file *ef, const Elf64_Ehdr *eh, unsigned i,
                      Elf64_Shdr *sh)
{
    if (i >= eh->e_shnum)
        return false;
    memcpy(sh, ef->buf + eh->e_shoff + (uint64_t)i * sizeof(*sh), sizeof(*sh));
    return true;
}

/* Defined symbols whose name ends inside the string table, sorted by name
 * (equal names in table order, so a lookup finds the first, as a scan would). */
static void index_symbols(struct elf_file *ef)
{
    ef->sym_names = xcalloc(ef->nsyms, sizeof(struct name_ref));
    for (size_t i = 0; i < ef->nsyms; i++) {
        Elf64_Sym sym;
        memcpy(&sym, ef->syms + i * sizeof(sym), sizeof(sym));
        if (sym.st_shndx == SHN_UNDEF || sym.st_name >= ef->strtab_len ||
            !memchr(ef->strtab + sym.st_name, '\0', ef->strtab_len - sym.st_name))
            continue;
        ef->sym_names[ef->nsym_names++] = (struct name_ref){ ef->strtab + sym.st_name, i, 0 };
    }
    names_sort(ef->sym_names, ef->nsym_names);
}

/* A missing .symtab is not an error here; lookups simply fail. */
static const char *load_symbols(struct elf_file *ef, const Elf64_Ehdr *eh)
{
    if (eh->e_shoff == 0 || eh->e_shnum == 0)
        return NULL;
    if (eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(ef, eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr)))
        return "has corrupt section headers";
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        Elf64_Shdr sh, str;
        read_shdr(ef, eh, i, &sh);
        if (sh.sh_type != SHT_SYMTAB)
            continue;
        if (sh.sh_entsize != sizeof(Elf64_Sym) || !in_file(ef, sh.sh_offset, sh.sh_size) ||
            !read_shdr(ef, eh, sh.sh_link, &str) || str.sh_type != SHT_STRTAB ||
            !in_file(ef, str.sh_offset, str.sh_size))
            return "has a corrupt symbol table";
        ef->syms = ef->buf + sh.sh_offset;
        ef->nsyms = sh.sh_size / sizeof(Elf64_Sym);
        ef->strtab = (const char *)ef->buf + str.sh_offset;
        ef->strtab_len = str.sh_size;
        index_symbols(ef);
        return NULL;
    }
    return NULL;
}

const char *elf_load(struct elf_file *ef, const char *path)
{
    memset(ef, 0, sizeof(*ef));
    ef->path = path;
    ef->buf = read_file(path, &ef->len);
    if (!ef->buf)
        return "cannot be read";
    if (ef->len < SELFMAG || memcmp(ef->buf, ELFMAG, SELFMAG))
        return "is not an ELF file";
    if (ef->len < EI_NIDENT || ef->buf[EI_CLASS] != ELFCLASS64 ||
        ef->buf[EI_DATA] != ELFDATA2LSB)
        return "is not a 64-bit little-endian ELF file";
    Elf64_Ehdr eh;
    if (ef->len < sizeof(eh))
        return "has a truncated ELF header";
    memcpy(&eh, ef->buf, sizeof(eh));
    if (eh.e_machine != EM_AARCH64)
        return "is not an AArch64 ELF file (e_machine is not 183)";
    if (eh.e_type != ET_EXEC)
        return "is not a static executable (e_type is not ET_EXEC)";
    ef->entry = eh.e_entry;
    const char *err = load_segments(ef, &eh);
    return err ? err : load_symbols(ef, &eh);
}

bool elf_symbol(const struct elf_file *ef, const char *name, struct elf_sym *out)
{
    const struct name_ref *ref = names_find(ef->sym_names, ef->nsym_names, name);
    if (!ref)
        return false;
    Elf64_Sym sym;
    memcpy(&sym, ef->syms + ref->index * sizeof(sym), sizeof(sym));
    out->value = sym.st_value;
    out->size = sym.st_size;
    return true;
}

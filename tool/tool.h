/*
 * Shared declarations of the pride build tool.
 *
 * Data flows in one direction: xml.c turns text into a tree, system.c turns
 * the tree into a validated model, elf.c reads ELF files, layout.c assigns
 * physical memory and builds page tables and the boot spec, image.c writes the
 * bootable ELF; graph.c draws the model instead. Every error ends the program
 * through fail_at()/fail_path(); all memory comes from one arena that is
 * freed at exit.
 */
#ifndef PRIDE_TOOL_H
#define PRIDE_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "pride/bootspec.h"
#include "pride/platform.h"

/* An unmapped page the tool keeps below every stack, so that an overflow
 * faults instead of writing into whatever is mapped below. */
#define STACK_GUARD_SIZE PAGE_SIZE_SMALL

#define RAM_END (PLAT_RAM_BASE + PLAT_RAM_SIZE)

/* ---- main.c: output, errors, memory, files, numbers ---- */

/* All text that may hold bytes from input files or the command line goes
 * through print_line (one line on stdout) and the two fail functions; bytes
 * outside printable ASCII are printed as escapes. */
void print_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same escapes for XML output, plus entities for markup characters. */
void put_xml_text(FILE *f, const char *s);
/* How many characters put_xml_text shows for 's' (an entity is one). */
size_t escaped_width(const char *s);
void set_error_file(const char *path);
_Noreturn void fail_at(int line, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
_Noreturn void fail_path(const char *path, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);
char *xconcat(const char *a, size_t n, const char *b);
/* Whole file plus a terminating NUL, or NULL (errno set) if unreadable. */
uint8_t *read_file(const char *path, size_t *len);
/* Parses decimal or 0x hex with '_' separators; NULL or an error text. */
const char *parse_u64(const char *text, uint64_t *out);

/* ---- sorted.c: duplicates, lookups and overlaps by sorting ---- */

bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size);

/* A name, the position of its owner (document order, symbol index...) and,
 * for names from the .system file, its line. */
struct name_ref {
    const char *name;
    size_t index;
    int line;
};

/* Sorts by name, equal names by index. */
void names_sort(struct name_ref *refs, size_t n);
/* The entry with the lowest index among those called 'name', or NULL. */
const struct name_ref *names_find(const struct name_ref *refs, size_t n, const char *name);
/* Of the entries whose name an entry with a lower index already has, the one
 * with the lowest index (*first gets that name's first entry), or NULL. */
const struct name_ref *names_repeat(const struct name_ref *refs, size_t n,
                                    const struct name_ref **first);

/* An address range and the line (and item) it comes from. */
struct span {
    uint64_t base, size;
    int line;
    size_t index;
};

void spans_sort(struct span *spans, size_t n);
/* On sorted spans: whether two overlap; if so, the overlapping pair whose
 * later line is lowest. */
bool spans_overlap(const struct span *sorted, size_t n, const struct span **earlier,
                   const struct span **later);

/* ---- xml.c ---- */

struct xml_attr {
    const char *name;
    const char *value; /* entities already decoded */
    int line;
    struct xml_attr *next;
};

struct xml_node {
    const char *name;
    int line;
    struct xml_attr *attrs;
    struct xml_node *children; /* document order */
    struct xml_node *next;
    const char *group; /* a PD's: the first subsystem element naming it (lower.c) */
};

/* Parses a whole document and returns its root element. */
struct xml_node *xml_parse(const char *text, size_t len);
/* Writes the tree as a document, one element per line, indented. */
void xml_write(FILE *f, const struct xml_node *root);

/* ---- system.c: attributes (every message names the attribute's line) ---- */

const struct xml_attr *find_attr(const struct xml_node *n, const char *name);
/* 'allowed' is NULL-terminated; any other attribute is an error. */
void check_attrs(const struct xml_node *n, const char *const *allowed);
const struct xml_attr *required(const struct xml_node *n, const char *name);
const char *str_attr(const struct xml_node *n, const char *name, bool need);
uint64_t num_value(const struct xml_attr *a, uint64_t min, uint64_t max);
uint64_t num_attr(const struct xml_node *n, const char *name, uint64_t def, uint64_t min,
                  uint64_t max);
bool bool_attr(const struct xml_node *n, const char *name, bool def);
int attr_line(const struct xml_node *n, const char *name);
void no_children(const struct xml_node *n);

/* ---- lower.c: subsystem elements become plain elements ---- */

/* Replaces every subsystem element (<net>, ...) of the tree by the memory
 * regions, maps, channels, IRQs and config structs it stands for. */
void lower_system(struct xml_node *root);

/* What a class's lowering (net.c, ...) builds with. Names of the
 * generated elements start with the class's prefix; every generated
 * element has the subsystem element's line. */
struct lowering;
/* The <protection_domain> named by attribute 'role' of 'sub' (NULL if the
 * attribute is absent and optional). */
struct xml_node *lower_pd(struct lowering *L, const struct xml_node *sub, const char *role,
                          bool need);
/* The <protection_domain> called 'name', or NULL. */
struct xml_node *lower_find_pd(const struct lowering *L, const char *name);
unsigned lower_priority(const struct xml_node *pd);
const char *lower_pd_name(const struct xml_node *pd);
/* "<class>_<pd>_<what>": the name of a region the class makes for pd. */
const char *lower_name(const struct lowering *L, const struct xml_node *pd, const char *what);
/* A memory region of 'size' bytes; 'paddr' 0: placed by the tool. */
void lower_region(struct lowering *L, const char *name, uint64_t size, uint64_t paddr);
/* Maps region 'name' (of 'size' bytes) into pd at a fresh address: returns it. */
uint64_t lower_map(struct lowering *L, struct xml_node *pd, const char *name, uint64_t size,
                   const char *perms, bool cached);
void lower_channel(struct lowering *L, struct xml_node *a, unsigned id_a, bool a_calls,
                   struct xml_node *b, unsigned id_b);
void lower_irq(struct lowering *L, struct xml_node *pd, unsigned intid, unsigned id);
/* The bytes of a config struct for the program of pd (pride/config.h). */
void lower_config(struct lowering *L, struct xml_node *pd, const char *symbol,
                  const void *bytes, size_t size);
int lower_line(const struct lowering *L);
/* Checks child c of the subsystem element as its 'count'-th <client> (from
 * 0) with only 'attrs' and no children, of at most 'max'. */
void lower_check_client(const struct lowering *L, const struct xml_node *c,
                        const char *const *attrs, unsigned count, unsigned max);
/* The 'device' (a page of virtio-mmio slots; default the last) and 'irq'
 * (default the last slot's) attributes of a virtio subsystem element. */
void lower_virtio_device(const struct xml_node *sub, uint64_t *page, unsigned *irq);
/* The region of a page of virtio-mmio slots, made once however many
 * drivers map it: its name. */
const char *lower_virtio_region(struct lowering *L, uint64_t page);
/* The required, page-aligned 'dma' attribute: a physical address in RAM. */
uint64_t lower_dma_window(const struct xml_node *sub);
/* Fails unless each PD of pds (NULL entries skipped) plays one role. */
void lower_check_roles(const struct lowering *L, const struct xml_node *const *pds, size_t n);
/* Fails unless 'near' (nearer the device) has a higher priority than 'far'. */
void lower_check_above(const struct lowering *L, int line, const struct xml_node *near,
                       const char *near_role, const struct xml_node *far, const char *far_role);

/* net.c, serial.c, timer.c, blk.c, rtc.c, fs.c, stats.c */
void lower_net(struct lowering *L, const struct xml_node *net);
void lower_serial(struct lowering *L, const struct xml_node *serial);
void lower_timer(struct lowering *L, const struct xml_node *timer);
void lower_blk(struct lowering *L, const struct xml_node *blk);
void lower_rtc(struct lowering *L, const struct xml_node *rtc);
void lower_fs(struct lowering *L, const struct xml_node *fs);
void lower_stats(struct lowering *L, const struct xml_node *stats);
/* The data region an <fs> element shares with the client of 'server', if
 * there is one: its name and size (0 if none). <blk> places it in the DMA
 * window right after the server's block data region (fs.c). */
uint64_t lower_fs_shared(const struct lowering *L, const struct xml_node *server,
                         const char **region);
const struct xml_node *lower_root(const struct lowering *L);
/* A region one class placed for another, at 'offset' in its owner's data. */
void lower_note_placed(struct lowering *L, const char *region, uint64_t offset);
bool lower_placed(const struct lowering *L, const char *region, uint64_t *offset);
/* Each class notes every PD it gives a role that answers the statistics
 * query (pride/stats.h), and the channel it answers on, for <stats>. */
void lower_note_stats(struct lowering *L, const struct xml_node *pd, unsigned ch);
bool lower_stats_channel(const struct lowering *L, const struct xml_node *pd, unsigned *ch);

/* ---- system.c: the validated model ---- */

enum { PERM_R = 1, PERM_W = 2, PERM_X = 4 };

struct mr {
    const char *name;
    int line;
    uint64_t size, page_size;
    bool fixed;     /* phys_addr given: device or reserved memory */
    uint64_t paddr; /* phys_addr, or assigned by layout */
};

struct map {
    int line;
    const char *mr_name;
    struct mr *mr; /* resolved by validation */
    uint64_t vaddr;
    unsigned perms;
    bool cached;
    const char *setvar_vaddr; /* symbol or NULL */
};

struct irq {
    int line;
    unsigned intid, id;
    bool edge;
};

struct setvar {
    int line;
    const char *symbol;
    const char *mr_name;
    struct mr *mr; /* resolved by validation */
};

/* A config struct's bytes for the program's symbol (pride/config.h). */
struct config_patch {
    int line;
    const char *symbol;
    uint8_t *bytes;
    size_t size;
};

struct chan_end {
    int line;
    const char *pd_name;
    struct pd *pd; /* resolved by validation */
    unsigned id;
    bool pp, notify;
};

struct channel {
    int line;
    struct chan_end end[2];
};

/* What one channel id of a PD is used for (filled by validation). */
struct id_use {
    struct chan_end *end;  /* this PD's end of a PD channel, or NULL */
    struct chan_end *peer; /* the other end */
    struct irq *irq;       /* or the IRQ using this id */
};

struct pd {
    const char *name;
    int line;
    const char *group; /* its subsystem element's name, or NULL */
    unsigned index; /* document (pre-)order: parents before children */
    unsigned priority;
    uint32_t budget, period;
    bool passive;
    unsigned cpu; /* the core it runs on */
    uint64_t stack_size;
    struct pd *parent;
    unsigned id_in_parent; /* valid when parent != NULL */
    const char *image;
    int image_line;
    struct map *maps;
    size_t nmaps;
    struct irq *irqs;
    size_t nirqs;
    struct setvar *setvars;
    size_t nsetvars;
    struct config_patch *configs;
    size_t nconfigs;
    struct id_use ids[PRIDE_MAX_CHANNELS];
};

struct system {
    const struct xml_node *tree; /* lowered: plain elements only */
    const char *path;
    const char *dir; /* directory of the .system file */
    int line;        /* of <system> */
    struct pd *pds[PRIDE_MAX_PDS];
    size_t npds;
    struct mr *mrs;
    size_t nmrs;
    struct name_ref *pd_names; /* sorted by name (validation) */
    struct name_ref *mr_names; /* sorted by name (validation) */
    struct span *ram_holes;    /* fixed regions inside RAM, sorted by address */
    size_t nram_holes;
    struct channel *channels;
    size_t nchannels;
};

struct system *system_load(const char *path);
/* Lowest user VA of the PD's stack; the guard page lies right below it. */
uint64_t stack_bottom(const struct pd *pd);
/* NULL if a range of the PD's address space ending at 'end' (exclusive)
 * stays below the stack's guard page, otherwise what it runs into. */
const char *stack_clash(const struct pd *pd, uint64_t end);

/* ---- elf.c ---- */

struct elf_seg {
    uint64_t vaddr, paddr, offset, filesz, memsz;
    uint32_t flags; /* PF_R / PF_W / PF_X */
};

struct elf_sym {
    uint64_t value, size;
};

struct elf_file {
    const char *path;
    uint8_t *buf; /* whole file; kernel patches are made here */
    size_t len;
    uint64_t entry;
    struct elf_seg *segs; /* PT_LOAD only */
    size_t nsegs;
    const uint8_t *syms; /* .symtab entries, NULL if none */
    size_t nsyms;
    const char *strtab;
    size_t strtab_len;
    struct name_ref *sym_names; /* defined, well-named symbols, sorted */
    size_t nsym_names;
};

/* Reads and checks an AArch64 ELF64 executable; NULL or an error text. */
const char *elf_load(struct elf_file *ef, const char *path);
bool elf_symbol(const struct elf_file *ef, const char *name, struct elf_sym *out);

/* ---- layout.c ---- */

struct out_seg {
    uint64_t vaddr, paddr, filesz, memsz;
    uint32_t flags;
    bool kernel; /* kernel segments keep their addresses and are never merged */
    const uint8_t *data;
    uint8_t *merged;     /* once merged with data: 'data' is this buffer of our own */
    uint64_t merged_cap;
};

struct image {
    struct out_seg *segs;
    size_t nsegs, cap;
    uint64_t entry; /* physical */
};

struct build_opts {
    const char *kernel_path;
    const char *const *dirs; /* program image search path */
    size_t ndirs;
    bool verbose;
    bool one_core; /* every PD on core 0: a uniprocessor build of the system */
};

void layout_build(struct system *sys, const struct build_opts *opts,
                  struct image *img);

/* ---- image.c ---- */

void image_add(struct image *img, const struct out_seg *seg);
void image_write(const struct image *img, const char *path);

/* ---- graph.c ---- */

/* Writes the system as a standalone SVG diagram. */
void graph_write(const struct system *sys, const char *path);

#endif

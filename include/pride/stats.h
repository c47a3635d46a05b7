/*
 * Statistics: one protected call that every driver, virtualiser and copier
 * answers (network clients, the timer driver and the FAT server too), so
 * that one reader can ask each PD it has a pp channel to what went through
 * it and what went wrong there. The question is label PRIDE_STATS_LABEL
 * with no message words; the answer is the same label with the record
 * (struct pride_stats, in field order) and then the PD's name. A PD keeps
 * its counters in one struct pride_stats and answers from protected() with
 * pride_stats_reply().
 *
 * A reader prints one line per PD with pride_stats_report(), or, if a
 * <stats> element (docs/tool.md) lists the PDs it asks, one for each of
 * them with pride_stats_report_all():
 *     stats: net_virt_tx frames=123 drops=0 bad_desc=0 bad_idx=0
 * The line says only what the PD claims: a hostile PD may answer anything,
 * but its name is shown only in letters, digits, '_' and '-', so it cannot
 * forge another field on its line.
 *
 * "passed" may come from a ring index the PD keeps anyway (one per item it
 * ever published), which costs the fast path nothing; such a count is
 * modulo 2^32. The problem counters are incremented only where something
 * goes wrong.
 */
#ifndef PRIDE_STATS_H
#define PRIDE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <microkit.h>
#include <pride_debug.h>
#include <pride/stats_reader.h>
#include <pride/stats_record.h>

#define PRIDE_STATS_LABEL 0x5354 /* "ST" */

#define PRIDE_STATS_RECORD_WORDS (sizeof(struct pride_stats) / sizeof(uint64_t))
#define PRIDE_STATS_REPLY_WORDS (PRIDE_STATS_RECORD_WORDS + PRIDE_STATS_NAME_WORDS)

/* ---- answering ---- */

static inline bool pride_stats_asked(microkit_msginfo msginfo)
{
    return microkit_msginfo_get_label(msginfo) == PRIDE_STATS_LABEL;
}

/* Word w of this PD's name, eight characters, the first in the low byte. */
static inline uint64_t pride_stats_name_word(unsigned w)
{
    uint64_t word = 0;
    for (unsigned i = 0; i < 8 && 8 * w + i < MICROKIT_PD_NAME_LENGTH; i++)
        word |= (uint64_t)(uint8_t)microkit_name[8 * w + i] << (8 * i);
    return word;
}

/* protected()'s reply to a statistics query. */
static inline microkit_msginfo pride_stats_reply(const struct pride_stats *s)
{
    uint8_t mr = 0;
#define PRIDE_STATS_PUT(name) microkit_mr_set(mr++, s->name);
    PRIDE_STATS_RECORD(PRIDE_STATS_PUT)
#undef PRIDE_STATS_PUT
    for (unsigned w = 0; w < PRIDE_STATS_NAME_WORDS; w++)
        microkit_mr_set(mr++, pride_stats_name_word(w));
    return microkit_msginfo_new(PRIDE_STATS_LABEL, mr);
}

/* protected() of a PD that answers nothing else: anything else gets an
 * empty reply. */
static inline microkit_msginfo pride_stats_answer(microkit_msginfo msginfo,
                                                  const struct pride_stats *s)
{
    return pride_stats_asked(msginfo) ? pride_stats_reply(s) : microkit_msginfo_new(0, 0);
}

/* ---- reading ---- */

/* The name in the reply's words from first on, up to its first NUL. */
static inline void pride_stats_take_name(uint8_t first, char name[PRIDE_STATS_NAME_SIZE])
{
    unsigned i = 0;
    for (; i < 8 * PRIDE_STATS_NAME_WORDS; i++) {
        char c = (char)(microkit_mr_get((uint8_t)(first + i / 8)) >> (8 * (i % 8)));
        if (!c)
            break;
        name[i] = pride_stats_name_char_safe(c) ? c : '?';
    }
    name[i] = 0;
}

/* Asks the PD at the other end of ch; false if it did not answer in kind. */
static inline bool pride_stats_ask(microkit_channel ch, struct pride_stats *s,
                                   char name[PRIDE_STATS_NAME_SIZE])
{
    microkit_msginfo reply = microkit_ppcall(ch, microkit_msginfo_new(PRIDE_STATS_LABEL, 0));
    if (microkit_msginfo_get_label(reply) != PRIDE_STATS_LABEL ||
        microkit_msginfo_get_count(reply) != PRIDE_STATS_REPLY_WORDS)
        return false;
    uint8_t mr = 0;
#define PRIDE_STATS_GET(name) s->name = microkit_mr_get(mr++);
    PRIDE_STATS_RECORD(PRIDE_STATS_GET)
#undef PRIDE_STATS_GET
    pride_stats_take_name(mr, name);
    return true;
}

static inline void pride_stats_print(const char *name, const struct pride_stats *s)
{
    microkit_dbg_puts("stats: ");
    microkit_dbg_puts(name);
    microkit_dbg_puts(" ");
    microkit_dbg_puts(pride_stats_unit_name(s->unit));
    microkit_dbg_puts("=");
    pride_dbg_put_dec(s->passed);
#define PRIDE_STATS_PRINT(counter) \
    microkit_dbg_puts(" " #counter "=");   \
    pride_dbg_put_dec(s->counter);
    PRIDE_STATS_PROBLEMS(PRIDE_STATS_PRINT)
#undef PRIDE_STATS_PRINT
    microkit_dbg_puts("\n");
}

/* Asks the PD at the other end of ch and prints its line (or that it did
 * not answer); name receives its name, "" if it did not answer. */
static inline void pride_stats_report(microkit_channel ch, char name[PRIDE_STATS_NAME_SIZE])
{
    struct pride_stats s;
    name[0] = 0;
    if (pride_stats_ask(ch, &s, name)) {
        pride_stats_print(name, &s);
        return;
    }
    microkit_dbg_puts("stats: channel ");
    pride_dbg_put_dec(ch);
    microkit_dbg_puts(" did not answer\n");
}

/* ---- reading the PDs of a <stats> element (pride/stats_reader.h) ---- */

/* What pride_stats_read_all hands on for the index-th PD listed: its
 * name and record, or "" and NULL if it did not answer in kind. */
typedef void pride_stats_visit(void *ctx, unsigned index, const char *name,
                               const struct pride_stats *s);

/* Asks every PD the reader's <stats> element lists, in its order; config
 * is the reader's stats_reader_config, through pride_config(). */
static inline void pride_stats_read_all(const struct stats_reader_config *config,
                                        pride_stats_visit *visit, void *ctx)
{
    for (uint32_t i = 0; i < config->count; i++) {
        struct pride_stats s;
        char name[PRIDE_STATS_NAME_SIZE] = "";
        bool answered = pride_stats_ask((microkit_channel)(config->first_channel + i), &s, name);
        visit(ctx, i, name, answered ? &s : NULL);
    }
}

/* The same, printing each PD's line (pride_stats_report). */
static inline void pride_stats_report_all(const struct stats_reader_config *config)
{
    for (uint32_t i = 0; i < config->count; i++) {
        char name[PRIDE_STATS_NAME_SIZE];
        pride_stats_report((microkit_channel)(config->first_channel + i), name);
    }
}

#endif

/*
 * Config structs: how a component built once learns the facts of the
 * system it runs in. Each class header (net/config.h, ...) defines one
 * struct per component, starting with this header. The component defines
 * its struct with PRIDE_CONFIG, setting only the header (a member named
 * "header"); `pride build`
 * checks the symbol's size and header against what the system description
 * needs and writes the rest into the image. A program built against
 * another version of the struct is refused at build time, not misread at
 * run time.
 */
#ifndef PRIDE_CONFIG_H
#define PRIDE_CONFIG_H

#include <stdint.h>

struct pride_config_header {
    uint32_t magic;   /* which struct */
    uint32_t version; /* of its layout */
};

/* Defines the config variable 'name' of struct type 'type'. The tool
 * patches it after compilation, so code reads it through pride_config(),
 * never directly: the compiler would fold the initialiser's zeros. */
#define PRIDE_CONFIG(type, name, magic, version) \
    __attribute__((used, section(".data.pride_config"))) type name = {.header = {(magic), (version)}}

/* The address of a config variable, hidden from the optimiser. */
static inline const void *pride_config(const void *config)
{
    __asm__("" : "+r"(config));
    return config;
}

#endif

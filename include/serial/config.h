/*
 * Serial config structs (pride/config.h): what the PL011 driver, the two
 * virtualisers and the clients learn about their system, filled by
 * `pride build` from the system's <serial> element (docs/tool.md). Each
 * address is where this PD maps a queue region (or the UART's registers).
 *
 * Channel ids are fixed by role. A client's are disjoint from a network
 * client's (net/config.h) and the timer's (timer/protocol.h), so one PD
 * can be a client of every class.
 */
#ifndef SERIAL_CONFIG_H
#define SERIAL_CONFIG_H

#include <stdint.h>
#include <pride/config.h>

#define SERIAL_CONFIG_VERSION 1
#define SERIAL_DRIVER_MAGIC 0x53455244u  /* "SERD" */
#define SERIAL_VIRT_TX_MAGIC 0x53455254u /* "SERT" */
#define SERIAL_VIRT_RX_MAGIC 0x53455252u /* "SERR" */
#define SERIAL_CLIENT_MAGIC 0x5345524cu  /* "SERL" */

#define SERIAL_MAX_CLIENTS 8

/* The driver: its IRQ, the TX and RX virtualisers, statistics. The
 * virtualisers: the driver, then client i at 1 + i, statistics. A client:
 * output, input, and a statistics reader it may ask to report. The
 * statistics reader calls the driver at 1, the TX virtualiser at 2, the RX
 * virtualiser at 3 and is notified by client i at 4 + i. */
#define SERIAL_DRIVER_IRQ_CH 0
#define SERIAL_DRIVER_TX_CH 1
#define SERIAL_DRIVER_RX_CH 2
#define SERIAL_DRIVER_STATS_CH 3
#define SERIAL_VIRT_DRIVER_CH 0
#define SERIAL_VIRT_FIRST_CLIENT_CH 1
#define SERIAL_STATS_CH 9
#define SERIAL_CLIENT_TX_CH 4
#define SERIAL_CLIENT_RX_CH 5
#define SERIAL_CLIENT_STATS_CH 6
#define SERIAL_READER_DRIVER_CH 1
#define SERIAL_READER_VIRT_TX_CH 2
#define SERIAL_READER_VIRT_RX_CH 3
#define SERIAL_READER_FIRST_CLIENT_CH 4

struct serial_driver_config {
    struct pride_config_header header;
    uint64_t uart;     /* the PL011's registers, uncached */
    uint64_t tx_queue; /* from the TX virtualiser */
    uint64_t rx_queue; /* to the RX virtualiser */
};

/* Both virtualisers' (each under its own magic). */
struct serial_virt_config {
    struct pride_config_header header;
    uint32_t clients;
    uint32_t reserved;
    uint64_t driver_queue;
    uint64_t client_queue[SERIAL_MAX_CLIENTS];
};

struct serial_client_config {
    struct pride_config_header header;
    uint64_t tx_queue, rx_queue;
};

_Static_assert(sizeof(struct serial_driver_config) == 32, "no implicit padding");
_Static_assert(sizeof(struct serial_virt_config) == 24 + 8 * SERIAL_MAX_CLIENTS, "no implicit padding");
_Static_assert(sizeof(struct serial_client_config) == 24, "no implicit padding");

#endif

/*
 * Prints 64-byte lines as fast as the serial pipeline takes them and counts
 * all guest instructions per byte between 16 KiB and 80 KiB queued: in
 * steady state, with the queues equally full at both points, bytes queued
 * equals bytes that reached the UART.
 */
#include <microkit.h>
#include <pride_debug.h>
#include <serial/client.h>

#define LINE_BYTES 64
#define WARMUP_BYTES (16 * 1024)
#define MEASURED_BYTES (64 * 1024)

static uint64_t queued, start;
static bool finished;

static void print_lines(void)
{
    while (!finished && serial_write_space(LINE_BYTES) >= LINE_BYTES) {
        serial_printf("serial bench line %08lu abcdefghijklmnopqrstuvwxyz0123456789\n",
                      queued / LINE_BYTES);
        queued += LINE_BYTES;
        if (queued == WARMUP_BYTES)
            start = pride_instructions();
        if (queued == WARMUP_BYTES + MEASURED_BYTES) {
            uint64_t per_byte = (pride_instructions() - start) / MEASURED_BYTES;
            finished = true;
            serial_printf("serial_tx_insns_per_byte: %lu\nbench: done\n", per_byte);
        }
    }
}

void init(void)
{
    serial_client_init();
    print_lines();
}

void notified(microkit_channel ch)
{
    if (ch == SERIAL_CLIENT_TX_CH)
        print_lines();
}

/*
 * PL011 UART driver. Moves bytes from the TX queue (filled by the TX
 * virtualiser) into the UART, and from the UART into the RX queue (drained
 * by the RX virtualiser). Interrupt-driven both ways: RX on FIFO level or
 * timeout; TX only while bytes are waiting for room in the FIFO. Input
 * with no room in the RX queue is dropped and counted, and so are
 * impossible queue indices.
 *
 * Channels: 0 the UART's IRQ, 1 the TX virtualiser, 2 the RX virtualiser;
 * any other channel, a PD that asks for its statistics (pride/stats.h:
 * bytes sent and received).
 */
#include <microkit.h>
#include <pride/stats.h>
#include <serial/config.h>
#include <serial/queue.h>

#define IRQ_CHANNEL SERIAL_DRIVER_IRQ_CH
#define TX_VIRT_CHANNEL SERIAL_DRIVER_TX_CH
#define RX_VIRT_CHANNEL SERIAL_DRIVER_RX_CH

/* Registers (PL011 TRM), as 32-bit words. */
#define UART_DR    0x00
#define UART_FR    0x18
#define UART_LCR_H 0x2c
#define UART_CR    0x30
#define UART_IFLS  0x34
#define UART_IMSC  0x38
#define UART_MIS   0x40
#define UART_ICR   0x44
#define FR_RXFE    (1u << 4)
#define FR_TXFF    (1u << 5)
#define LCR_H_FEN  (1u << 4)
#define LCR_H_WLEN8 (3u << 5)
#define CR_UARTEN  (1u << 0)
#define CR_TXE     (1u << 8)
#define CR_RXE     (1u << 9)
#define INT_RX     (1u << 4)
#define INT_TX     (1u << 5)
#define INT_RT     (1u << 6)
#define INT_ALL    0x7ffu

PRIDE_CONFIG(struct serial_driver_config, serial_driver_config, SERIAL_DRIVER_MAGIC,
             SERIAL_CONFIG_VERSION);
static uint64_t uart_base; /* the config's: the UART's registers */

static struct ring_consumer tx;
static struct ring_producer rx;
static struct pride_stats stats = {.unit = PRIDE_STATS_BYTES};

static volatile uint32_t *reg(unsigned offset)
{
    return (volatile uint32_t *)(uart_base + offset);
}

static void tx_interrupt(bool on)
{
    uint32_t mask = *reg(UART_IMSC);
    *reg(UART_IMSC) = on ? mask | INT_TX : mask & ~INT_TX;
}

/* Feed the FIFO until it is full or the queue is empty. */
static void tx_drain(void)
{
    const char *data = serial_queue_data(tx.shared);
    for (;;) {
        int64_t available = ring_consumer_available(&tx);
        if (available < 0) {
            stats.bad_idx++;
            return;
        }
        uint32_t n = 0;
        while (n < available && !(*reg(UART_FR) & FR_TXFF))
            *reg(UART_DR) = (uint8_t)data[(tx.head + n++) & (tx.capacity - 1)];
        ring_consumer_release(&tx, n);
        if (ring_consumer_must_signal(&tx))
            microkit_notify(TX_VIRT_CHANNEL);
        if (n < available) {
            tx_interrupt(true); /* FIFO full: continue when it drains */
            return;
        }
        tx_interrupt(false);
        ring_consumer_request_signal(&tx);
        if (ring_consumer_available(&tx) == 0)
            return;
    }
}

static void rx_fill(void)
{
    char *data = serial_queue_data(rx.shared);
    int64_t space = ring_producer_space(&rx);
    if (space < 0) /* every byte is dropped until the index is right */
        stats.bad_idx++;
    uint32_t n = 0;
    while (!(*reg(UART_FR) & FR_RXFE)) {
        char c = (char)*reg(UART_DR);
        if (n < space)
            data[(rx.tail + n++) & (rx.capacity - 1)] = c;
        else
            stats.drops++;
    }
    ring_producer_publish(&rx, n);
    if (ring_producer_must_signal(&rx))
        microkit_notify(RX_VIRT_CHANNEL);
}

void init(void)
{
    const struct serial_driver_config *c = pride_config(&serial_driver_config);
    uart_base = c->uart;
    ring_consumer_attach(&tx, (struct ring_shared *)(uintptr_t)c->tx_queue, SERIAL_QUEUE_CAPACITY);
    ring_producer_attach(&rx, (struct ring_shared *)(uintptr_t)c->rx_queue, SERIAL_QUEUE_CAPACITY);
    *reg(UART_CR) = 0;
    *reg(UART_LCR_H) = LCR_H_WLEN8 | LCR_H_FEN;
    *reg(UART_IFLS) = 0; /* interrupt at 1/8 full */
    *reg(UART_ICR) = INT_ALL;
    *reg(UART_IMSC) = INT_RX | INT_RT;
    *reg(UART_CR) = CR_UARTEN | CR_TXE | CR_RXE;
    tx_drain();
}

void notified(microkit_channel ch)
{
    if (ch == IRQ_CHANNEL) {
        uint32_t pending = *reg(UART_MIS);
        *reg(UART_ICR) = pending;
        if (pending & (INT_RX | INT_RT))
            rx_fill();
        if (pending & INT_TX)
            tx_drain();
        microkit_deferred_irq_ack(IRQ_CHANNEL);
    } else if (ch == TX_VIRT_CHANNEL) {
        tx_drain();
    }
}

/* Bytes sent and received, as the queues' own indices count them. */
microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    stats.passed = (uint64_t)tx.head + rx.tail;
    return pride_stats_answer(msginfo, &stats);
}

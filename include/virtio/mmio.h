/*
 * The virtio-mmio transport (virtio 1.x, section 4.2) as the virtio
 * drivers use it: register offsets, the split virtqueue's structures for
 * queues of VIRTIO_QUEUE_SIZE entries, and the steps every device shares:
 * finding a modern device of a type in a page of slots, negotiating
 * features, setting up a queue. The device-specific parts stay in each
 * driver (drivers/net/virtio, drivers/blk/virtio).
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>
#include <pride/platform.h>

#define VIRTIO_MAGIC_VALUE 0x000
#define VIRTIO_VERSION 0x004
#define VIRTIO_DEVICE_ID 0x008
#define VIRTIO_DEVICE_FEATURES 0x010
#define VIRTIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_DRIVER_FEATURES 0x020
#define VIRTIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_QUEUE_SEL 0x030
#define VIRTIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_QUEUE_NUM 0x038
#define VIRTIO_QUEUE_READY 0x044
#define VIRTIO_QUEUE_NOTIFY 0x050
#define VIRTIO_INTERRUPT_STATUS 0x060
#define VIRTIO_INTERRUPT_ACK 0x064
#define VIRTIO_STATUS 0x070
#define VIRTIO_QUEUE_DESC 0x080
#define VIRTIO_QUEUE_DRIVER 0x090
#define VIRTIO_QUEUE_DEVICE 0x0a0
#define VIRTIO_CONFIG 0x100
#define VIRTIO_MAGIC 0x74726976
#define VIRTIO_DEVICE_NET 1
#define VIRTIO_DEVICE_BLOCK 2

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_FEATURE_VERSION_1 (1u << 0) /* bit 32, in the second feature word */

#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1

#define VIRTIO_QUEUE_SIZE 128

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct vq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[VIRTIO_QUEUE_SIZE];
};

struct vq_used {
    uint16_t flags;
    uint16_t idx;
    struct {
        uint32_t id;
        uint32_t len;
    } ring[VIRTIO_QUEUE_SIZE];
};

static inline uint32_t virtio_read(volatile uint8_t *regs, unsigned offset)
{
    return *(volatile uint32_t *)(regs + offset);
}

static inline void virtio_write(volatile uint8_t *regs, unsigned offset, uint32_t value)
{
    *(volatile uint32_t *)(regs + offset) = value;
}

static inline void virtio_write64(volatile uint8_t *regs, unsigned offset, uint64_t value)
{
    virtio_write(regs, offset, (uint32_t)value);
    virtio_write(regs, offset + 4, (uint32_t)(value >> 32));
}

/* Orders the driver's accesses to shared rings against the device's. */
static inline void virtio_barrier(void)
{
    __asm__ volatile("dmb sy" ::: "memory");
}

/* The registers of the first modern device of type 'device_id' in the page
 * of slots mapped at 'page', or NULL. */
static inline volatile uint8_t *virtio_find(uint64_t page, uint32_t device_id)
{
    for (unsigned slot = 0; slot < 0x1000 / PLAT_VIRTIO_SLOT_SIZE; slot++) {
        volatile uint8_t *regs = (volatile uint8_t *)(uintptr_t)(page + slot * PLAT_VIRTIO_SLOT_SIZE);
        if (virtio_read(regs, VIRTIO_MAGIC_VALUE) == VIRTIO_MAGIC &&
            virtio_read(regs, VIRTIO_VERSION) == 2 &&
            virtio_read(regs, VIRTIO_DEVICE_ID) == device_id)
            return regs;
    }
    return 0;
}

/* Resets the device and accepts 'wanted' (of the first 32 feature bits)
 * where offered, and VERSION_1; the features taken, in *taken. */
static inline bool virtio_negotiate(volatile uint8_t *regs, uint32_t wanted, uint32_t *taken)
{
    const uint32_t ack_driver = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
    virtio_write(regs, VIRTIO_STATUS, 0);
    virtio_write(regs, VIRTIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
    virtio_write(regs, VIRTIO_STATUS, ack_driver);
    virtio_write(regs, VIRTIO_DEVICE_FEATURES_SEL, 1);
    if (!(virtio_read(regs, VIRTIO_DEVICE_FEATURES) & VIRTIO_FEATURE_VERSION_1))
        return false;
    virtio_write(regs, VIRTIO_DEVICE_FEATURES_SEL, 0);
    *taken = wanted & virtio_read(regs, VIRTIO_DEVICE_FEATURES);
    virtio_write(regs, VIRTIO_DRIVER_FEATURES_SEL, 0);
    virtio_write(regs, VIRTIO_DRIVER_FEATURES, *taken);
    virtio_write(regs, VIRTIO_DRIVER_FEATURES_SEL, 1);
    virtio_write(regs, VIRTIO_DRIVER_FEATURES, VIRTIO_FEATURE_VERSION_1);
    virtio_write(regs, VIRTIO_STATUS, ack_driver | VIRTIO_STATUS_FEATURES_OK);
    return virtio_read(regs, VIRTIO_STATUS) & VIRTIO_STATUS_FEATURES_OK;
}

/* Queue 'index' of VIRTIO_QUEUE_SIZE entries, its parts at these DMA addresses. */
static inline bool virtio_queue_setup(volatile uint8_t *regs, unsigned index, uint64_t desc,
                                      uint64_t avail, uint64_t used)
{
    virtio_write(regs, VIRTIO_QUEUE_SEL, index);
    if (virtio_read(regs, VIRTIO_QUEUE_NUM_MAX) < VIRTIO_QUEUE_SIZE)
        return false;
    virtio_write(regs, VIRTIO_QUEUE_NUM, VIRTIO_QUEUE_SIZE);
    virtio_write64(regs, VIRTIO_QUEUE_DESC, desc);
    virtio_write64(regs, VIRTIO_QUEUE_DRIVER, avail);
    virtio_write64(regs, VIRTIO_QUEUE_DEVICE, used);
    virtio_write(regs, VIRTIO_QUEUE_READY, 1);
    return true;
}

static inline void virtio_driver_ok(volatile uint8_t *regs)
{
    virtio_write(regs, VIRTIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                                          VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

#endif

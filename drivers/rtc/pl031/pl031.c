/*
 * PL031 real-time clock driver: a passive PD that answers RTC_GET_TIME
 * with the clock's count of seconds (include/rtc/protocol.h). It checks
 * the peripheral's identification registers first and answers RTC_ERROR
 * if they are not a PL031's: a wrong device is refused, not misread.
 * Its system (rtc/protocol.h): the registers. Channels: 1 + i client i.
 */
#include <microkit.h>
#include <rtc/protocol.h>

#define RTCDR 0x000      /* data register: the current count */
#define PERIPH_ID 0xfe0  /* four identification registers, one byte each */

PRIDE_CONFIG(struct rtc_driver_config, rtc_driver_config, RTC_DRIVER_MAGIC, RTC_CONFIG_VERSION);

static volatile uint32_t *regs;
static bool present;

static uint32_t reg(unsigned offset)
{
    return regs[offset / 4];
}

void init(void)
{
    /* part 0x031, designer 0x41 (ARM); the revision (the top nibble of
     * the third byte) may be any */
    static const uint8_t pl031_id[4] = {0x31, 0x10, 0x04, 0x00}, mask[4] = {0xff, 0xff, 0x0f, 0xff};
    regs = (volatile uint32_t *)(uintptr_t)((const struct rtc_driver_config *)pride_config(
                                                &rtc_driver_config))->regs;
    present = true;
    for (unsigned i = 0; i < 4; i++)
        present &= (reg(PERIPH_ID + 4 * i) & mask[i]) == pl031_id[i];
    if (!present)
        microkit_dbg_puts("pl031: no PL031 at its address: answering RTC_ERROR\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    if (!present || microkit_msginfo_get_label(msginfo) != RTC_GET_TIME)
        return microkit_msginfo_new(RTC_ERROR, 0);
    microkit_mr_set(0, reg(RTCDR));
    return microkit_msginfo_new(RTC_OK, 1);
}

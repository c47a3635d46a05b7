/*
 * The <rtc> subsystem element (docs/tool.md): the PL031 driver and its
 * clients. Lowers to the clock's register page, mapped uncached in the
 * driver, its config struct, and a channel per client that the client
 * calls (rtc/protocol.h): client i is the driver's channel 1 + i, the
 * client's end RTC_CLIENT_CH.
 */
#include "tool.h"
#include "rtc/protocol.h"

void lower_rtc(struct lowering *L, const struct xml_node *n)
{
    static const char *const attrs[] = {"driver", NULL};
    static const char *const client_attrs[] = {"pd", NULL};
    const struct xml_node *pds[1 + RTC_MAX_CLIENTS];
    unsigned npds = 0;
    check_attrs(n, attrs);
    struct xml_node *driver = lower_pd(L, n, "driver", true);
    pds[npds++] = driver;
    struct rtc_driver_config d = {.header = {RTC_DRIVER_MAGIC, RTC_CONFIG_VERSION}};
    lower_region(L, "rtc_pl031", PAGE_SIZE_SMALL, PLAT_PL031_BASE);
    d.regs = lower_map(L, driver, "rtc_pl031", PAGE_SIZE_SMALL, "r", false);
    for (const struct xml_node *c = n->children; c; c = c->next) {
        lower_check_client(L, c, client_attrs, npds - 1, RTC_MAX_CLIENTS);
        struct xml_node *client = lower_pd(L, c, "pd", true);
        pds[npds++] = client;
        lower_check_roles(L, pds, npds);
        lower_check_above(L, c->line, driver, "driver", client, "client");
        lower_channel(L, client, RTC_CLIENT_CH, true, driver, RTC_FIRST_CLIENT_CH + npds - 2);
    }
    if (npds == 1)
        fail_at(n->line, "<rtc> has no <client>");
    lower_config(L, driver, "rtc_driver_config", &d, sizeof(d));
}

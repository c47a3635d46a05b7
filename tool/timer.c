/*
 * The <timer> subsystem element (docs/tool.md): the timer driver and its
 * clients. Lowers to the driver's IRQ (the virtual timer) and a channel
 * per client, which the client calls (timer/protocol.h): client i is the
 * driver's channel 1 + i, and the client's end is TIMER_CLIENT_CH unless
 * its <client> gives an id. The driver answers a <stats> reader on
 * TIMER_STATS_CH.
 */
#include "tool.h"
#include "timer/protocol.h"

void lower_timer(struct lowering *L, const struct xml_node *n)
{
    static const char *const attrs[] = {"driver", NULL};
    static const char *const client_attrs[] = {"pd", "id", NULL};
    const struct xml_node *pds[1 + TIMER_MAX_CLIENTS];
    size_t npds = 0;
    check_attrs(n, attrs);
    struct xml_node *driver = lower_pd(L, n, "driver", true);
    pds[npds++] = driver;
    lower_irq(L, driver, PLAT_VTIMER_INTID, TIMER_IRQ_CHANNEL);
    lower_note_stats(L, driver, TIMER_STATS_CH);
    for (const struct xml_node *c = n->children; c; c = c->next) {
        lower_check_client(L, c, client_attrs, (unsigned)npds - 1, TIMER_MAX_CLIENTS);
        struct xml_node *client = lower_pd(L, c, "pd", true);
        pds[npds] = client;
        lower_check_roles(L, pds, npds + 1);
        lower_check_above(L, c->line, driver, "driver", client, "client");
        unsigned id = (unsigned)num_attr(c, "id", TIMER_CLIENT_CH, 0, PRIDE_MAX_CHANNELS - 1);
        lower_channel(L, client, id, true, driver, TIMER_FIRST_CLIENT_CHANNEL + (unsigned)npds - 1);
        npds++;
    }
}

/*
 * An lwIP echo client: UDP echo on port 1235 and TCP echo on port 1236 at
 * the address its config gives (net/config.h: MAC, static IPv4 address or
 * DHCP, buffers and queues, as the system's <net> element says). TCP echo
 * keeps flow control end to end: received data is acknowledged to the
 * sender (tcp_recved) only once it fits into the send buffer.
 *
 * Diagnostics: a UDP datagram "pride-buffers?" makes the accounting PD, if
 * the system has one (channel 3), print where every network buffer is; the
 * answer says whether it was asked. Protected calls report this PD's own
 * buffers (net/accounting.h) and statistics (pride/stats.h).
 */
#include <microkit.h>
#include <stdio.h>
#include <string.h>
#include <pride_netif.h>
#include <timer/client.h>
#include "lwip/dhcp.h"
#include "lwip/init.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "netif/ethernet.h"
#include <net/config.h>

#define TIMER 0
#define ACCOUNTING NET_CLIENT_STATS_CH /* optional: the buffer accounting PD */
#define UDP_PORT 1235
#define TCP_PORT 1236
#define BUFFERS_QUERY "pride-buffers?"
#define TICK_NS 50000000ull
#define MAX_CONNECTIONS 8

PRIDE_CONFIG(struct net_client_config, net_client_config, NET_CLIENT_MAGIC, NET_CONFIG_VERSION);

struct connection {
    bool used, closing;
    struct pbuf *pending; /* received, not yet in the send buffer */
    u16_t offset;         /* of the first unsent byte in pending */
};

static const struct net_client_config *config;
static struct pride_netif pn;
static struct netif netif;
static struct connection connections[MAX_CONNECTIONS];

/* Is p the text of query (a string literal)? */
#define is_query(p, query) \
    ((p)->tot_len == sizeof(query) - 1 && !pbuf_memcmp((p), 0, (query), sizeof(query) - 1))

static void send_text(struct udp_pcb *pcb, const char *text, const ip_addr_t *addr, u16_t port)
{
    struct pbuf *reply = pbuf_alloc(PBUF_TRANSPORT, (u16_t)strlen(text), PBUF_RAM);
    if (reply) {
        pbuf_take(reply, text, (u16_t)strlen(text));
        udp_sendto(pcb, reply, addr, port);
        pbuf_free(reply);
    }
}

#ifdef PRIDE_BENCH
#include <pride_debug.h>
#define INSNS_QUERY "pride-insns?"
#endif

/* Diagnostic queries: true if p was one (and has been answered). */
static bool answer_query(struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    if (is_query(p, BUFFERS_QUERY)) {
        bool present = microkit_notifications & (1ull << ACCOUNTING);
        if (present)
            microkit_notify(ACCOUNTING);
        send_text(pcb, present ? "accounting asked" : "no accounting", addr, port);
        return true;
    }
#ifdef PRIDE_BENCH
    /* Benchmark builds answer with the retired-instruction counter (modulo
     * 2^32), which does not advance while the system idles. */
    if (is_query(p, INSNS_QUERY)) {
        char text[24];
        snprintf(text, sizeof(text), "%lu", (unsigned long)pride_instructions_retired());
        send_text(pcb, text, addr, port);
        return true;
    }
#endif
    return false;
}

static void udp_echo(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                     u16_t port)
{
    (void)arg;
    if (!answer_query(pcb, p, addr, port))
        udp_sendto(pcb, p, addr, port);
    pbuf_free(p);
}

static void release(struct tcp_pcb *pcb, struct connection *c)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
    if (c->pending)
        pbuf_free(c->pending);
    *c = (struct connection){0};
    tcp_close(pcb);
}

/* Move pending data into the send buffer as far as it has room. */
static void flush(struct tcp_pcb *pcb, struct connection *c)
{
    while (c->pending && tcp_sndbuf(pcb)) {
        struct pbuf *q = c->pending;
        u16_t n = LWIP_MIN((u16_t)(q->len - c->offset), tcp_sndbuf(pcb));
        if (tcp_write(pcb, (const u8_t *)q->payload + c->offset, n, TCP_WRITE_FLAG_COPY) != ERR_OK)
            break;
        tcp_recved(pcb, n);
        c->offset = (u16_t)(c->offset + n);
        if (c->offset == q->len) {
            c->pending = pbuf_dechain(q);
            c->offset = 0;
            pbuf_free(q);
        }
    }
    tcp_output(pcb);
    if (c->closing && !c->pending)
        release(pcb, c);
}

static err_t tcp_echo_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct connection *c = arg;
    if (!c || err != ERR_OK) {
        if (p)
            pbuf_free(p);
        return ERR_OK;
    }
    if (!p)
        c->closing = true;
    else if (c->pending)
        pbuf_cat(c->pending, p);
    else
        c->pending = p;
    flush(pcb, c);
    return ERR_OK;
}

static err_t tcp_echo_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)len;
    if (arg)
        flush(pcb, arg);
    return ERR_OK;
}

static void tcp_echo_error(void *arg, err_t err)
{
    (void)err;
    struct connection *c = arg;
    if (c) {
        if (c->pending)
            pbuf_free(c->pending);
        *c = (struct connection){0};
    }
}

static err_t tcp_echo_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    (void)arg;
    if (err != ERR_OK || !pcb)
        return ERR_VAL;
    for (unsigned i = 0; i < MAX_CONNECTIONS; i++) {
        if (connections[i].used)
            continue;
        connections[i] = (struct connection){.used = true};
        tcp_arg(pcb, &connections[i]);
        tcp_recv(pcb, tcp_echo_recv);
        tcp_sent(pcb, tcp_echo_sent);
        tcp_err(pcb, tcp_echo_error);
        return ERR_OK;
    }
    tcp_abort(pcb);
    return ERR_ABRT;
}

/* The netif's status callback: says "ready" once the interface is up with
 * an address (at once for a static one, when DHCP binds otherwise). */
static void announce(struct netif *n)
{
    static bool announced;
    if (announced || !netif_is_up(n) || ip4_addr_isany_val(*netif_ip4_addr(n)))
        return;
    announced = true;
    printf("%s: ready at %s%s, udp %u, tcp %u\n", microkit_name, ip4addr_ntoa(netif_ip4_addr(n)),
           pride_netif_uses_dhcp(config) ? " (dhcp)" : "", UDP_PORT, TCP_PORT);
#ifdef PRIDE_BENCH
    printf("%s: boot_to_ready_insns %lu\n", microkit_name, (unsigned long)pride_instructions_retired());
#endif
}

static void start_servers(void)
{
    struct udp_pcb *udp = udp_new();
    udp_bind(udp, IP_ADDR_ANY, UDP_PORT);
    udp_recv(udp, udp_echo, NULL);
    struct tcp_pcb *tcp = tcp_new();
    tcp_bind(tcp, IP_ADDR_ANY, TCP_PORT);
    tcp = tcp_listen(tcp);
    tcp_accept(tcp, tcp_echo_accept);
}

void init(void)
{
    config = pride_config(&net_client_config);
    timer_client_init(TIMER);
    lwip_init();
    pride_netif_add(&pn, &netif, config);
    start_servers();
    netif_set_status_callback(&netif, announce);
    netif_set_up(&netif);
    if (pride_netif_uses_dhcp(config) && dhcp_start(&netif) != ERR_OK)
        printf("%s: cannot start DHCP\n", microkit_name);
    time_set_timeout_ns(TICK_NS);
}

void notified(microkit_channel ch)
{
    if (ch == TIMER) {
        sys_check_timeouts();
        time_set_timeout_ns(TICK_NS);
    } else {
        pride_netif_notified(&netif);
    }
}

static void hold(struct net_holdings *h)
{
    pride_netif_hold(&pn, h);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    return net_account_answer(msginfo, hold, pride_netif_stats(&pn));
}

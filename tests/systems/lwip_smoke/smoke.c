/*
 * lwIP smoke test: proves that a PD can use picolibc (stdio through the
 * debug console, thread-local storage, floating point) and lwIP built
 * NO_SYS=1 (init, timers, a network interface, address conversion, pbuf
 * chains). Every check prints one line; the last is "lwip: smoke ok" only if
 * all passed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microkit.h>
#include <timer/client.h>

#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "netif/etharp.h"
#include "netif/ethernet.h"
#include "chksum_reference.h"

#define TIMER_CHANNEL 0

static int failures;

static void check(int ok, const char *what)
{
    printf("lwip: %s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok)
        failures++;
}

/* Thread-local storage: one initialised (.tdata), one zeroed (.tbss). */
static _Thread_local int tls_initialised = 41;
static _Thread_local long tls_zeroed;

static void check_libc(void)
{
    tls_initialised++;
    tls_zeroed += 7;
    errno = 0;
    long big = strtol("99999999999999999999999", NULL, 10); /* sets errno in TLS */
    check(tls_initialised == 42 && tls_zeroed == 7 && errno == ERANGE && big == __LONG_MAX__,
          "tls");

    volatile double x = 2.0; /* volatile: computed at run time, in FP registers */
    double root = x;
    for (int i = 0; i < 20; i++)
        root = (root + x / root) / 2;
    char text[32];
    snprintf(text, sizeof text, "%.6f", root);
    printf("lwip: sqrt(2) = %s\n", text);
    check(strcmp(text, "1.414214") == 0, "float");

    /* memcpy/memset (lib/libc/src/string.c) at every alignment and length
     * up to 80 bytes, against a byte-by-byte reference. */
    static unsigned char src[128], dst[128];
    int bad = 0;
    for (unsigned i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 37 + 11);
    for (unsigned so = 0; so < 8; so++)
        for (unsigned dof = 0; dof < 8; dof++)
            for (unsigned n = 0; n <= 80; n++) {
                memset(dst, 0xee, sizeof dst);
                memcpy(dst + dof, src + so, n);
                for (unsigned i = 0; i < sizeof dst; i++) {
                    unsigned char want = (i >= dof && i < dof + n) ? src[so + i - dof] : 0xee;
                    if (dst[i] != want)
                        bad++;
                }
                memset(dst + dof, so, n);
                for (unsigned i = dof; i < dof + n; i++)
                    if (dst[i] != so)
                        bad++;
            }
    check(bad == 0, "memcpy/memset");
}

/* lwIP's checksum (lib/lwip/port/chksum.c, the AArch64 path included)
 * against the reference: every length up to 200 at every alignment, and
 * all-ones buffers for the carries. */
static void check_chksum(void)
{
    static uint8_t data[256];
    int bad = 0;
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 151 + 7);
    for (int align = 0; align < 8; align++)
        for (int len = 0; len <= 200; len++)
            bad += !chksum_same(pride_lwip_chksum(data + align, len), chksum_reference(data + align, len));
    memset(data, 0xff, sizeof data);
    for (int len = 0; len <= 200; len++)
        bad += !chksum_same(pride_lwip_chksum(data, len), chksum_reference(data, len));
    check(bad == 0, "checksum");
}

/* The dummy interface: frames go nowhere, they are only counted. */
static struct netif dummy;
static unsigned frames_sent;

static err_t dummy_linkoutput(struct netif *netif, struct pbuf *p)
{
    (void)netif;
    if (p->tot_len >= 14)
        frames_sent++;
    return ERR_OK;
}

static err_t dummy_init(struct netif *netif)
{
    static const u8_t mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    netif->name[0] = 'd';
    netif->name[1] = '0';
    netif->output = etharp_output;
    netif->linkoutput = dummy_linkoutput;
    netif->mtu = 1500;
    netif->hwaddr_len = 6;
    memcpy(netif->hwaddr, mac, 6);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    return ERR_OK;
}

static void check_lwip(void)
{
    lwip_init();
    printf("lwip: version %s, NO_SYS %d, now %lu ms\n", LWIP_VERSION_STRING, NO_SYS,
           (unsigned long)sys_now());

    ip4_addr_t addr, mask, gw;
    check(ip4addr_aton("10.0.2.15", &addr) && ip4addr_aton("255.255.255.0", &mask) &&
              ip4addr_aton("10.0.2.2", &gw),
          "parse addresses");
    const char *text = ip4addr_ntoa(&addr);
    printf("lwip: address %s\n", text);
    check(strcmp(text, "10.0.2.15") == 0 && ip4_addr_get_u32(&addr) == PP_HTONL(0x0a00020f),
          "ip4addr_ntoa");

    check(netif_add(&dummy, &addr, &mask, &gw, NULL, dummy_init, ethernet_input) != NULL,
          "netif_add");
    netif_set_default(&dummy);
    netif_set_up(&dummy);
    netif_set_link_up(&dummy);
    unsigned after_up = frames_sent; /* gratuitous ARP */

    /* A UDP datagram to the gateway: no ARP entry yet, so an ARP request. */
    struct udp_pcb *pcb = udp_new();
    struct pbuf *datagram = pbuf_alloc(PBUF_TRANSPORT, 5, PBUF_RAM);
    err_t err = ERR_MEM;
    if (pcb && datagram) {
        pbuf_take(datagram, "hello", 5);
        err = udp_sendto(pcb, datagram, &gw, 7);
    }
    if (datagram)
        pbuf_free(datagram);
    if (pcb)
        udp_remove(pcb);
    printf("lwip: netif %c%c%u up, %u frames out (%u at link up), udp send %d\n",
           dummy.name[0], dummy.name[1], dummy.num, frames_sent, after_up, (int)err);
    check(err == ERR_OK && after_up >= 1 && frames_sent > after_up, "netif output");

    /* A 4000-byte pool chain: several pbufs, filled, read back, freed. */
    struct pbuf *chain = pbuf_alloc(PBUF_RAW, 4000, PBUF_POOL);
    int chain_ok = chain != NULL;
    if (chain) {
        static char pattern[4000], back[4000];
        for (unsigned i = 0; i < sizeof pattern; i++)
            pattern[i] = (char)(i % 251);
        u16_t count = pbuf_clen(chain);
        chain_ok = count > 1 && chain->tot_len == 4000 &&
                   pbuf_take(chain, pattern, sizeof pattern) == ERR_OK &&
                   pbuf_copy_partial(chain, back, sizeof back, 0) == sizeof back &&
                   memcmp(pattern, back, sizeof back) == 0;
        u8_t freed = pbuf_free(chain);
        printf("lwip: pbuf chain of %u pbufs, %u bytes, %u freed\n", count, 4000u, freed);
        chain_ok = chain_ok && freed == count;
    }
    check(chain_ok, "pbuf chain");

    sys_check_timeouts();
}

void init(void)
{
    timer_client_init(TIMER_CHANNEL);
    check_libc();
    check_chksum();
    check_lwip();
    if (failures == 0)
        printf("lwip: smoke ok\n");
    else
        printf("lwip: %d checks failed\n", failures);
}

void notified(microkit_channel ch)
{
    (void)ch;
}

/*
 * lwIP configuration for Pride PDs (lwIP 2.1.3, see lib/lwip/lwip.mk).
 *
 * One PD runs the whole stack from its event loop: NO_SYS=1, no threads, no
 * sockets or netconn API, only the raw (callback) API. IPv4 with ARP, ICMP,
 * UDP, TCP and DHCP. The pool sizes are chosen for a TCP echo server that
 * streams megabytes at full segment size: a 16-segment receive window, a
 * 16-segment send buffer, and enough pbufs and segments to hold both.
 * Memory use: MEM_SIZE heap + PBUF_POOL_SIZE * ~1.5 KiB + small pools,
 * about 360 KiB of .bss in total.
 */
#ifndef PRIDE_LWIPOPTS_H
#define PRIDE_LWIPOPTS_H

/* ---- System ---- */
#define NO_SYS                  1
#define SYS_LIGHTWEIGHT_PROT    0   /* one thread, no interrupts in a PD */
#define LWIP_SOCKET             0
#define LWIP_NETCONN            0
#define LWIP_TIMERS             1   /* sys_check_timeouts() from the PD */

/* ---- Protocols ---- */
#define LWIP_IPV4               1
#define LWIP_IPV6               0
#define LWIP_ARP                1
#define LWIP_ETHERNET           1
#define LWIP_ICMP               1
#define LWIP_UDP                1
#define LWIP_TCP                1
#define LWIP_DHCP               1
#define LWIP_RAW                0
#define LWIP_IGMP               0
#define LWIP_DNS                0
#define LWIP_AUTOIP             0
#define LWIP_HAVE_LOOPIF        0
#define LWIP_NETIF_LOOPBACK     0
#define IP_REASSEMBLY           1
#define IP_FRAG                 1

/* ---- Memory ---- */
#define MEM_ALIGNMENT           8
#define MEM_SIZE                (256 * 1024)  /* heap: PBUF_RAM, i.e. TCP send data */
#define MEMP_NUM_PBUF           32            /* PBUF_REF/ROM headers */
#define MEMP_NUM_UDP_PCB        8
#define MEMP_NUM_TCP_PCB        8
#define MEMP_NUM_TCP_PCB_LISTEN 4
#define PBUF_POOL_SIZE          64            /* received frames in flight */
#define MEMP_NUM_REASSDATA      4

/* ---- TCP ---- */
#define TCP_MSS                 1460
#define TCP_WND                 (16 * TCP_MSS)
#define TCP_SND_BUF             (16 * TCP_MSS)
#define TCP_SND_QUEUELEN        (4 * TCP_SND_BUF / TCP_MSS)
/* Every queued segment needs one tcp_seg: keep this >= TCP_SND_QUEUELEN,
 * plus room for out-of-order segments on receive. */
#define MEMP_NUM_TCP_SEG        (TCP_SND_QUEUELEN + 32)
#define TCP_QUEUE_OOSEQ         1
#define LWIP_TCP_KEEPALIVE      1

/* ---- Network interfaces ---- */
#define LWIP_NETIF_STATUS_CALLBACK 1  /* learn when DHCP has an address */
#define LWIP_NETIF_LINK_CALLBACK   1

/* ---- Checksums ---- */
#define LWIP_CHKSUM             pride_lwip_chksum  /* port/chksum.c: 8 bytes a step */

/* ---- Checks, statistics, debugging ---- */
/* lwIP's own assertions stay on (LWIP_PLATFORM_ASSERT in arch/cc.h). */
#define LWIP_STATS              0
#define LWIP_STATS_DISPLAY      0
/* LWIP_DEBUG stays undefined: no debug output code is compiled. */

#endif

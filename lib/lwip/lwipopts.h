/*
 * lwIP configuration for Pride PDs (lwIP 2.1.3, see lib/lwip/lwip.mk).
 *
 * One PD runs the whole stack from its event loop: NO_SYS=1, no threads, no
 * sockets or netconn API, only the raw (callback) API. IPv4 with ARP, ICMP,
 * UDP, TCP and DHCP. The pool sizes are chosen for servers that stream
 * megabytes at full segment size to many clients at once (the web server
 * holds 32 connections): a 16-segment receive window and send buffer per
 * connection, and a heap and segment pool that hold a full send buffer for
 * each of TCP_FULL_SENDERS connections, so that a write never fails for
 * want of memory. Memory use: MEM_SIZE heap + PBUF_POOL_SIZE * ~1.5 KiB +
 * small pools, about 1.2 MiB of .bss in total.
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
#define TCP_FULL_SENDERS        32
/* A full send buffer on the heap: its segments' pbufs, each with room for
 * the headers and the allocator's own, and an oversized one for a head. */
#define TCP_SND_BUF_HEAP        ((TCP_SND_BUF / TCP_MSS + 2) * (TCP_MSS + 128))
#define MEM_SIZE                (TCP_FULL_SENDERS * TCP_SND_BUF_HEAP + 64 * 1024)
#define MEMP_NUM_PBUF           32            /* PBUF_REF/ROM headers */
#define MEMP_NUM_UDP_PCB        8
#define MEMP_NUM_TCP_PCB        (TCP_FULL_SENDERS + 16) /* and closing ones, and those refused */
#define MEMP_NUM_TCP_PCB_LISTEN 4
#define PBUF_POOL_SIZE          64            /* received frames in flight */
#define MEMP_NUM_REASSDATA      4

/* ---- TCP ---- */
#define TCP_MSS                 1460
#define TCP_WND                 (16 * TCP_MSS)
#define TCP_SND_BUF             (16 * TCP_MSS)
#define TCP_SND_QUEUELEN        (4 * TCP_SND_BUF / TCP_MSS)
/* Every queued segment needs one tcp_seg: a full send buffer's worth
 * (with a head's small one) for each sender, and out-of-order segments on
 * receive. */
#define MEMP_NUM_TCP_SEG        (TCP_FULL_SENDERS * (TCP_SND_BUF / TCP_MSS + 4) + 64)
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

/*
 * Minimal PD program for the tool tests. It only has to look like a Microkit
 * program to the build tool: an entry point, the symbols the tool patches,
 * and the IPC buffer page. It never runs.
 */
typedef unsigned long long u64;

char microkit_name[64];
u64 microkit_irqs;
u64 microkit_notifications;
u64 microkit_pps;
unsigned char microkit_passive;

/* setvar targets: one in .data, the others in .bss */
u64 shared_vaddr = 1;
u64 shared2_vaddr;
u64 uart_paddr;
u64 buffer_paddr;
const char banner[] = "fixture";

#ifdef HIGH_SEGMENT
/* placed by fixture_high.ld */
__attribute__((section(".high"))) u64 high_page[512] = { 1 };
#endif

#ifndef NO_IPC_BUFFER
__attribute__((aligned(4096), section(".bss.ipc_buffer")))
unsigned char pride_ipc_buffer[4096];
#endif

__attribute__((section(".text.start"))) void _start(void)
{
    for (;;)
        microkit_irqs += (u64)banner[0];
}

#ifdef ROLE_CONFIGS
/* Every block, file-system, network and serial role's config (blk/, fs/, net/,
 * serial/config.h) and a statistics reader's (pride/stats_reader.h), so one
 * fixture can play any role of a subsystem element. OLD_VERSION and
 * SMALL_COPIER build images of network programs compiled against another
 * version of the header. */
#include <blk/config.h>
#include <net/config.h>
#include <serial/config.h>
#include <rtc/protocol.h>
#include <fs/config.h>
#include <pride/stats_reader.h>
PRIDE_CONFIG(struct stats_reader_config, stats_reader_config, STATS_READER_MAGIC,
             STATS_READER_CONFIG_VERSION);
PRIDE_CONFIG(struct fs_config, fs_server_config, FS_SERVER_MAGIC, FS_CONFIG_VERSION);
PRIDE_CONFIG(struct fs_config, fs_client_config, FS_CLIENT_MAGIC, FS_CONFIG_VERSION);
PRIDE_CONFIG(struct rtc_driver_config, rtc_driver_config, RTC_DRIVER_MAGIC, RTC_CONFIG_VERSION);
PRIDE_CONFIG(struct blk_driver_config, blk_driver_config, BLK_DRIVER_MAGIC, BLK_CONFIG_VERSION);
PRIDE_CONFIG(struct blk_client_config, blk_client_config, BLK_CLIENT_MAGIC, BLK_CONFIG_VERSION);
PRIDE_CONFIG(struct blk_virt_config, blk_virt_config, BLK_VIRT_MAGIC, BLK_CONFIG_VERSION);
PRIDE_CONFIG(struct serial_driver_config, serial_driver_config, SERIAL_DRIVER_MAGIC,
             SERIAL_CONFIG_VERSION);
PRIDE_CONFIG(struct serial_virt_config, serial_virt_tx_config, SERIAL_VIRT_TX_MAGIC,
             SERIAL_CONFIG_VERSION);
PRIDE_CONFIG(struct serial_virt_config, serial_virt_rx_config, SERIAL_VIRT_RX_MAGIC,
             SERIAL_CONFIG_VERSION);
PRIDE_CONFIG(struct serial_client_config, serial_client_config, SERIAL_CLIENT_MAGIC,
             SERIAL_CONFIG_VERSION);
#ifdef OLD_VERSION
#define FIXTURE_VERSION (NET_CONFIG_VERSION + 1)
#else
#define FIXTURE_VERSION NET_CONFIG_VERSION
#endif
#ifdef SMALL_COPIER
struct net_copier_config_v0 {
    struct pride_config_header header;
};
PRIDE_CONFIG(struct net_copier_config_v0, net_copier_config, NET_COPIER_MAGIC, FIXTURE_VERSION);
#else
PRIDE_CONFIG(struct net_copier_config, net_copier_config, NET_COPIER_MAGIC, FIXTURE_VERSION);
#endif
PRIDE_CONFIG(struct net_driver_config, net_driver_config, NET_DRIVER_MAGIC, FIXTURE_VERSION);
PRIDE_CONFIG(struct net_virt_rx_config, net_virt_rx_config, NET_VIRT_RX_MAGIC, FIXTURE_VERSION);
PRIDE_CONFIG(struct net_virt_tx_config, net_virt_tx_config, NET_VIRT_TX_MAGIC, FIXTURE_VERSION);
PRIDE_CONFIG(struct net_client_config, net_client_config, NET_CLIENT_MAGIC, FIXTURE_VERSION);
PRIDE_CONFIG(struct net_account_config, net_account_config, NET_ACCOUNT_MAGIC, FIXTURE_VERSION);
#endif

/* net_hostile: a good lwIP client and a hostile one, each with its own MAC. */
#include <net/config.h>

#define NET_RX_DMA_SIZE 0x40000        /* the shared RX buffers: 128 */
#define NET_CLIENT_REGION_SIZE 0x40000 /* each client's RX and TX regions */

static const struct net_client_config net_clients[] = {
    {"client0", {0x52, 0x54, 0x00, 0x00, 0x00, 0x10}, {10, 0, 2, 15}, 1235, 1236},
    {"hostile", {0x52, 0x54, 0x00, 0x00, 0x00, 0x11}, {10, 0, 2, 16}, 1237, 1238},
};

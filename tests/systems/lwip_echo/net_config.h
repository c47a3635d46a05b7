/* lwip_echo: one lwIP client directly on the driver. */
#include <net/config.h>

#define NET_CLIENT_REGION_SIZE 0x40000 /* its RX and TX buffer regions */

static const struct net_client_config net_clients[] = {
    {"echo", {0x52, 0x54, 0x00, 0x00, 0x00, 0x01}, {10, 0, 2, 15}, 1235, 1236},
};

/* lwip_dhcp: lwip_echo's system, with the client's address from DHCP. */
#include <net/config.h>

#define NET_CLIENT_REGION_SIZE 0x40000 /* its RX and TX buffer regions */

static const struct net_client_config net_clients[] = {
    {"echo", {0x52, 0x54, 0x00, 0x00, 0x00, 0x01}, {0, 0, 0, 0}, 1235, 1236},
};

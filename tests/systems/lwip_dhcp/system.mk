# The echo PD links picolibc and lwIP (lib/lwip/lwip.mk).
tests/systems/lwip_dhcp_PD_CFLAGS = $(LWIP_CFLAGS) -Itests/systems/lwip_dhcp
tests/systems/lwip_dhcp_PD_LIBS   = $(LWIP_LIBS)

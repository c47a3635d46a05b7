# The echo PD links picolibc and lwIP (lib/lwip/lwip.mk).
tests/systems/lwip_echo_PD_CFLAGS = $(LWIP_CFLAGS) -Itests/systems/lwip_echo
tests/systems/lwip_echo_PD_LIBS   = $(LWIP_LIBS)

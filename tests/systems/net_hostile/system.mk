# The good client links picolibc and lwIP; every program here sees net_config.h.
tests/systems/net_hostile_PD_CFLAGS = $(LWIP_CFLAGS) -Itests/systems/net_hostile
tests/systems/net_hostile_PD_LIBS   = $(LWIP_LIBS)

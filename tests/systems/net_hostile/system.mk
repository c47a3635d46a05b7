# The good client links picolibc and lwIP; every program here sees net_config.h.
tests/systems/net_hostile_PD_CFLAGS = -Itests/systems/net_hostile
tests/systems/net_hostile/echo_CFLAGS = $(LWIP_CFLAGS)
tests/systems/net_hostile/echo_LIBS   = $(LWIP_LIBS)

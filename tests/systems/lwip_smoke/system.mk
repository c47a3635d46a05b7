# Programs in this system link picolibc and lwIP (lib/lwip/lwip.mk).
tests/systems/lwip_smoke_PD_CFLAGS = $(LWIP_CFLAGS) -Itests/lwip
tests/systems/lwip_smoke_PD_LIBS   = $(LWIP_LIBS)

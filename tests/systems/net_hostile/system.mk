# The good client is the echo server's (linking picolibc and lwIP).
tests/systems/net_hostile_PROGRAMS = echo=examples/echo_server/echo.c
tests/systems/net_hostile/echo_CFLAGS = $(LWIP_CFLAGS)
tests/systems/net_hostile/echo_LIBS   = $(LWIP_LIBS)

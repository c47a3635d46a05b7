# The echo server's client (linking picolibc and lwIP), alone on the driver.
tests/systems/lwip_echo_PROGRAMS = echo=examples/echo_server/echo.c
tests/systems/lwip_echo/echo_CFLAGS = $(LWIP_CFLAGS)
tests/systems/lwip_echo/echo_LIBS   = $(LWIP_LIBS)

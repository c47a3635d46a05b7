# The echo server's client (linking picolibc and lwIP), alone on the driver.
tests/systems/xcore_noisy_PROGRAMS = echo=examples/echo_server/echo.c
tests/systems/xcore_noisy/echo_CFLAGS = $(LWIP_CFLAGS)
tests/systems/xcore_noisy/echo_LIBS   = $(LWIP_LIBS)

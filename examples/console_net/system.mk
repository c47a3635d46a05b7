# The serial example's echo client as the consoles, the echo server's
# lwIP client (linking picolibc and lwIP) as the network clients.
examples/console_net_PROGRAMS = console=examples/serial/echo.c echo=examples/echo_server/echo.c
examples/console_net/echo_CFLAGS = $(LWIP_CFLAGS)
examples/console_net/echo_LIBS   = $(LWIP_LIBS)
# make run SYSTEM=console_net: the network device, each network client's
# ports forwarded as for the echo server.
examples/console_net_QEMU_ARGS = $(examples/echo_server_QEMU_ARGS)

# The network clients link picolibc and lwIP, the console clients neither;
# every program here sees net_config.h.
examples/console_net_PD_CFLAGS = -Iexamples/console_net
examples/console_net/echo_CFLAGS = $(LWIP_CFLAGS)
examples/console_net/echo_LIBS   = $(LWIP_LIBS)
# make run SYSTEM=console_net: the network device, each network client's
# ports forwarded from the same port numbers on 127.0.0.1 only.
examples/console_net_QEMU_ARGS = $(examples/echo_server_QEMU_ARGS)

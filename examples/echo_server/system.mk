# The clients link picolibc and lwIP; every program here sees net_config.h.
examples/echo_server_PD_CFLAGS = $(LWIP_CFLAGS) -Iexamples/echo_server
examples/echo_server_PD_LIBS   = $(LWIP_LIBS)

# The echo server built for benchmarking: clients answer an instruction-count query.
bench/echo_server_PD_CFLAGS = -Ibench/echo_server
bench/echo_server/echo_CFLAGS = $(LWIP_CFLAGS) -DPRIDE_BENCH
bench/echo_server/echo_LIBS   = $(LWIP_LIBS)

# The echo server built for benchmarking: clients answer an instruction-count query.
bench/echo_server_PD_CFLAGS = $(LWIP_CFLAGS) -Ibench/echo_server -DPRIDE_BENCH
bench/echo_server_PD_LIBS   = $(LWIP_LIBS)

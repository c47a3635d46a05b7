# The echo server built for benchmarking: its system, with clients that
# answer an instruction-count query.
bench/echo_server_SYSTEM = examples/echo_server/echo_server.system
bench/echo_server_PROGRAMS = echo=examples/echo_server/echo.c
bench/echo_server/echo_CFLAGS = $(LWIP_CFLAGS) -DPRIDE_BENCH
bench/echo_server/echo_LIBS   = $(LWIP_LIBS)
# All of it on core 0: the single-core figures (bench/echo_smp: two cores).
bench/echo_server_BUILD_FLAGS = --one-core

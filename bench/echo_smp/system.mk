# The echo server as the example has it, on two cores (bench/echo_server
# builds the same system on one: --one-core). run.sh compares the two.
bench/echo_smp_SYSTEM = examples/echo_server/echo_server.system
bench/echo_smp_PROGRAMS = echo=examples/echo_server/echo.c
bench/echo_smp/echo_CFLAGS = $(LWIP_CFLAGS) -DPRIDE_BENCH
bench/echo_smp/echo_LIBS   = $(LWIP_LIBS)

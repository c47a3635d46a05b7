# The web server built for benchmarking: its system, with an httpd that
# answers /pride-insns with the retired-instruction counter.
bench/webserver_SYSTEM = examples/webserver/webserver.system
bench/webserver_PROGRAMS = httpd=examples/webserver/httpd.c
bench/webserver/httpd_CFLAGS = $(LWIP_CFLAGS) -DPRIDE_BENCH
bench/webserver/httpd_LIBS   = $(LWIP_LIBS)

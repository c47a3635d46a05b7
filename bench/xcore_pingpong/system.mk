# The cross-core ping-pong of tests/systems/xcore_pingpong, reporting the
# instructions retired per round trip.
bench/xcore_pingpong_SYSTEM = tests/systems/xcore_pingpong/xcore_pingpong.system
bench/xcore_pingpong_PROGRAMS = ping=tests/systems/xcore_pingpong/ping.c \
                                pong=tests/systems/xcore_pingpong/pong.c
bench/xcore_pingpong_PD_CFLAGS = -DPRIDE_BENCH -DROUNDS=100000u

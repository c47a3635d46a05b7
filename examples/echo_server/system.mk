# The clients link picolibc and lwIP; every program here sees net_config.h.
examples/echo_server_PD_CFLAGS = -Iexamples/echo_server
examples/echo_server/echo_CFLAGS = $(LWIP_CFLAGS)
examples/echo_server/echo_LIBS   = $(LWIP_LIBS)
# make run: the network device, and each client's ports forwarded from the
# same port numbers on 127.0.0.1 (and nowhere else) on the host.
examples/echo_server_QEMU_ARGS = -global virtio-mmio.force-legacy=false \
    -netdev user,id=n0,hostfwd=udp:127.0.0.1:1235-10.0.2.15:1235,hostfwd=tcp:127.0.0.1:1236-10.0.2.15:1236,hostfwd=udp:127.0.0.1:1237-10.0.2.16:1237,hostfwd=tcp:127.0.0.1:1238-10.0.2.16:1238 \
    -device virtio-net-device,netdev=n0

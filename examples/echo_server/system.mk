# The clients link picolibc and lwIP.
examples/echo_server/echo_CFLAGS = $(LWIP_CFLAGS)
examples/echo_server/echo_LIBS   = $(LWIP_LIBS)
# make run: the network device; each client's UDP and TCP echo forwarded
# from 127.0.0.1 (and nowhere else) on the host: client0's from ports 1235
# and 1236, client1's from 1237 and 1238.
examples/echo_server_QEMU_ARGS = -global virtio-mmio.force-legacy=false \
    -netdev user,id=n0,hostfwd=udp:127.0.0.1:1235-10.0.2.15:1235,hostfwd=tcp:127.0.0.1:1236-10.0.2.15:1236,hostfwd=udp:127.0.0.1:1237-10.0.2.16:1235,hostfwd=tcp:127.0.0.1:1238-10.0.2.16:1236 \
    -device virtio-net-device,netdev=n0

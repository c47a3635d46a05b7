"""Wall time per UDP echo, one packet in flight.

Usage: echo_rate.py PORT PACKETS
Sends PACKETS datagrams of 64 bytes to 127.0.0.1:PORT one after another,
each after the echo of the last (one resent after 1 s without an answer,
at most 5 times), and prints 'us_per_echo N' (the median of ten batches).
"""
import socket
import statistics
import sys
import time

port, packets = int(sys.argv[1]), int(sys.argv[2])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(1)


def echo(data):
    for _ in range(5):
        sock.sendto(data, ("127.0.0.1", port))
        try:
            while sock.recvfrom(4096)[0] != data:
                pass
            return
        except socket.timeout:
            continue
    raise SystemExit("no echo from the guest")


echo(b"warm up")
batches = []
for b in range(10):
    start = time.monotonic()
    for i in range(packets // 10):
        echo((b * packets + i).to_bytes(8, "big") * 8)
    batches.append((time.monotonic() - start) / (packets // 10))
print("us_per_echo %d" % (statistics.median(batches) * 1e6))

"""UDP echo checks against a guest reached through QEMU's hostfwd on 127.0.0.1.

Usage: udp_echo.py PORT sizes|burst
  sizes: one datagram of every size from 1 to 1472 bytes must come back
         byte-identical (each retried at most 3 times, 1 s per try).
  burst: send 2000 datagrams back to back, count echoes for 3 s, report
         the loss, then check that a fresh datagram is still echoed.
Prints one 'PASS: name' or 'FAIL: name: why' line per check.
"""
import socket
import sys
import time

HOST = "127.0.0.1"


def payload(size, seed):
    return bytes((seed * 31 + i * 7) & 0xFF for i in range(size))


def echo_once(sock, port, data, tries=3):
    for _ in range(tries):
        sock.sendto(data, (HOST, port))
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                got, _ = sock.recvfrom(4096)
            except socket.timeout:
                break
            if got == data:
                return True
    return False


def check_sizes(sock, port):
    bad = [size for size in range(1, 1473) if not echo_once(sock, port, payload(size, size))]
    if bad:
        print("FAIL: net_udp_every_size: %d sizes not echoed intact, first %s" % (len(bad), bad[:5]))
    else:
        print("PASS: net_udp_every_size: 1..1472 bytes echoed byte-identical")


def check_burst(sock, port):
    count = 2000
    sent = {payload(64, n) for n in range(count)}
    for n in range(count):
        sock.sendto(payload(64, n), (HOST, port))
    received = set()
    deadline = time.monotonic() + 3.0
    sock.settimeout(0.2)
    while time.monotonic() < deadline and len(received) < count:
        try:
            got, _ = sock.recvfrom(4096)
        except socket.timeout:
            continue
        if got in sent:
            received.add(got)
    print("PASS: net_udp_burst_measured: %d of %d echoed (%.1f%% lost)"
          % (len(received), count, 100.0 * (count - len(received)) / count))
    if echo_once(sock, port, b"still serving?"):
        print("PASS: net_udp_serving_after_burst")
    else:
        print("FAIL: net_udp_serving_after_burst: no echo after the burst")


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    {"sizes": check_sizes, "burst": check_burst}[mode](sock, port)


if __name__ == "__main__":
    main()

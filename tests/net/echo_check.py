"""Echo checks against a guest reached through QEMU's hostfwd on 127.0.0.1.

Usage: echo_check.py PORT sizes|burst|tcp|buffers
  sizes: one datagram of every size from 1 to 1472 bytes must come back
         byte-identical (each retried at most 3 times, 1 s per try).
  burst: send 10,000 datagrams back to back, count echoes for 3 s, report
         the loss, then check that a fresh datagram is still echoed.
  tcp:   stream 4 MiB of random bytes to a TCP echo service while reading
         the echo concurrently; the SHA-256 of what comes back must match
         (bounded by a 60 s socket timeout).
  buffers: ask the guest for its buffer accounting ("pride-buffers?"),
         which must answer "accounting asked"; the report itself goes to
         the guest's console.
Prints one 'PASS: name' or 'FAIL: name: why' line per check.
"""
import hashlib
import os
import socket
import sys
import threading
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


def request(sock, port, data, tries=3):
    """The first answer to data (sent up to tries times), or None."""
    for _ in range(tries):
        sock.sendto(data, (HOST, port))
        sock.settimeout(1.0)
        try:
            return sock.recvfrom(4096)[0]
        except socket.timeout:
            continue
    return None


def check_buffers_query(sock, port):
    answer = request(sock, port, b"pride-buffers?")
    if answer == b"accounting asked":
        print("PASS: net_buffers_query")
    else:
        print("FAIL: net_buffers_query: answer %r" % answer)


def check_burst(sock, port):
    count = 10000
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


def check_tcp_stream(port):
    data = os.urandom(4 << 20)
    start = time.monotonic()
    try:
        conn = socket.create_connection((HOST, port), timeout=60)
        sender = threading.Thread(target=lambda: (conn.sendall(data), conn.shutdown(socket.SHUT_WR)))
        sender.start()
        echoed = bytearray()
        while len(echoed) < len(data):
            chunk = conn.recv(1 << 16)
            if not chunk:
                break
            echoed += chunk
        sender.join(60)
        conn.close()
    except OSError as error:
        print("FAIL: net_tcp_4mib_stream: %s" % error)
        return
    if hashlib.sha256(echoed).digest() == hashlib.sha256(data).digest():
        print("PASS: net_tcp_4mib_stream: 4 MiB echoed intact in %.2f s" % (time.monotonic() - start))
    else:
        print("FAIL: net_tcp_4mib_stream: %d bytes back, checksum differs" % len(echoed))


def main():
    port, mode = int(sys.argv[1]), sys.argv[2]
    if mode == "tcp":
        check_tcp_stream(port)
        return
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    {"sizes": check_sizes, "burst": check_burst, "buffers": check_buffers_query}[mode](sock, port)


if __name__ == "__main__":
    main()

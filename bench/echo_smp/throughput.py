"""Echo throughput from the host: UDP packets and TCP bytes per second.

Usage: throughput.py UDP_PORT TCP_PORT
Prints 'udp_pps N' and 'tcp_kib_per_s N'. UDP: PACKETS datagrams of 64
bytes with at most WINDOW unanswered at a time (a lost one is sent again
after a second); TCP: TCP_BYTES through the echo port, written by one
thread while this one reads the echo back and checks it byte for byte.
Every wait is bounded.
"""
import socket
import sys
import threading
import time

HOST = "127.0.0.1"
PACKETS = 20000
WINDOW = 16
TCP_BYTES = 8 << 20
DEADLINE = 120  # seconds for either measurement


def udp_pps(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(1)
    outstanding, answered, sent, start = {}, 0, 0, time.monotonic()
    while answered < PACKETS:
        if time.monotonic() - start > DEADLINE:
            raise SystemExit("udp: %d of %d answered in %d s" % (answered, PACKETS, DEADLINE))
        while len(outstanding) < WINDOW and sent < PACKETS:
            data = sent.to_bytes(8, "big") * 8
            sock.sendto(data, (HOST, port))
            outstanding[data] = time.monotonic()
            sent += 1
        try:
            reply, _ = sock.recvfrom(4096)
        except socket.timeout:
            for data in outstanding:  # lost: again
                sock.sendto(data, (HOST, port))
            continue
        if outstanding.pop(reply, None) is not None:
            answered += 1
    return PACKETS / (time.monotonic() - start)


def tcp_kib_per_s(port):
    sock = socket.create_connection((HOST, port), timeout=10)
    chunk = bytes(range(256)) * 257  # (a recv's worth from any offset in it)
    def write():
        for _ in range(TCP_BYTES // 65536):
            sock.sendall(chunk[:65536])
    writer = threading.Thread(target=write, daemon=True)
    start = time.monotonic()
    writer.start()
    got = 0
    while got < TCP_BYTES:
        if time.monotonic() - start > DEADLINE:
            raise SystemExit("tcp: %d of %d bytes back in %d s" % (got, TCP_BYTES, DEADLINE))
        data = sock.recv(1 << 16)
        if not data:
            raise SystemExit("tcp: closed after %d bytes" % got)
        if data != chunk[got % 256:got % 256 + len(data)]:
            raise SystemExit("tcp: the echo differs from what was sent after %d bytes" % got)
        got += len(data)
    elapsed = time.monotonic() - start
    writer.join(10)
    sock.close()
    return TCP_BYTES / 1024 / elapsed


def main():
    print("udp_pps %d" % udp_pps(int(sys.argv[1])))
    print("tcp_kib_per_s %d" % tcp_kib_per_s(int(sys.argv[2])))


main()

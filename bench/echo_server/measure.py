"""Measures the echo server's cost per UDP packet in guest instructions.

Usage: measure.py UDP_PORT
The guest (built with PRIDE_BENCH) answers 'pride-insns?' with its
retired-instruction counter (PMU, EL0 + EL1: all PDs and the kernel; it does
not advance while the CPU idles). Packets go one at a time; the idle cost
(timer ticks) over the same wall time, measured separately, is subtracted,
and so is one query's worth per measurement (negligible over 1000 packets).
"""
import socket
import sys
import time

HOST = "127.0.0.1"
PACKETS = 1000


def request(sock, port, data):
    for _ in range(5):
        sock.sendto(data, (HOST, port))
        try:
            while True:
                reply, _ = sock.recvfrom(4096)
                if data == b"pride-insns?" and reply.isdigit():
                    return reply
                if reply == data:
                    return reply
        except socket.timeout:
            continue
    raise SystemExit("no answer from the guest")


def insns(sock, port):
    return int(request(sock, port, b"pride-insns?"))


def since(before, after):
    return (after - before) % (1 << 32)  # the guest's counter is 32 bits


def main():
    port = int(sys.argv[1])
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    request(sock, port, b"warm up")
    before, start = insns(sock, port), time.monotonic()
    time.sleep(1.0)
    idle_per_second = since(before, insns(sock, port)) / (time.monotonic() - start)
    for size in (64, 1400):
        payload = bytes(size)
        before, start = insns(sock, port), time.monotonic()
        for _ in range(PACKETS):
            request(sock, port, payload)
        elapsed = time.monotonic() - start
        total = since(before, insns(sock, port))
        per_packet = (total - idle_per_second * elapsed) / PACKETS
        print("udp_echo_insns_per_packet_%d: %d" % (size, per_packet))
        print("udp_echo_%d_wall_us_per_packet: %d" % (size, elapsed / PACKETS * 1e6))
    print("idle_insns_per_second: %d" % idle_per_second)


if __name__ == "__main__":
    main()

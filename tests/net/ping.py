"""ICMP echo (ping) from the host side of the test's TAP device, with a raw
socket (run as root inside the test's network namespace): each address must
answer 5 echo requests with the same identifier, sequence and payload.

Usage: ping.py NAME ADDRESS...
Prints one PASS/FAIL line per address.
"""
import os
import select
import socket
import struct
import sys
import time


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def echo_request(ident, seq, payload):
    header = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
    return struct.pack("!BBHHH", 8, 0, checksum(header + payload), ident, seq) + payload


def answered(sock, address, ident, seq, payload):
    """True if an echo reply for (ident, seq) with payload arrives within 2 s."""
    sock.sendto(echo_request(ident, seq, payload), (address, 0))
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        if not select.select([sock], [], [], max(0.0, deadline - time.monotonic()))[0]:
            break
        packet, source = sock.recvfrom(4096)
        icmp = packet[(packet[0] & 0x0F) * 4:]  # raw ICMP sockets include the IP header
        if source[0] == address and len(icmp) >= 8:
            kind, _, _, got_ident, got_seq = struct.unpack("!BBHHH", icmp[:8])
            if kind == 0 and (got_ident, got_seq) == (ident, seq) and icmp[8:] == payload:
                return True
    return False


def main():
    name = sys.argv[1]
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    for address in sys.argv[2:]:
        ident = os.getpid() & 0xFFFF
        replies = sum(answered(sock, address, ident, seq, bytes(range(seq, seq + 56)))
                      for seq in range(5))
        if replies == 5:
            print("PASS: %s_ping_%s: 5 of 5 echo requests answered" % (name, address))
        else:
            print("FAIL: %s_ping_%s: %d of 5 echo requests answered" % (name, address, replies))


if __name__ == "__main__":
    main()

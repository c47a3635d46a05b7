"""Sends malformed frames to a guest over a TAP device and checks that it
keeps answering UDP echo. Runs inside the test's private network namespace,
where the TAP device holds 10.0.2.1/24 and the guest is 10.0.2.15.

Usage: malformed.py TAP GUEST_MAC
Prints one PASS/FAIL line per family of malformed frames.
"""
import os
import random
import socket
import struct
import sys
import time

GUEST_IP = "10.0.2.15"
ECHO_PORT = 1235
HOST_MAC = bytes.fromhex("020000000001")
HOST_IP = socket.inet_aton("10.0.2.1")


def ip_header(total, proto=17, ihl=5, checksum=None, flags_fragment=0):
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 1, flags_fragment, 64, proto, 0,
                         HOST_IP, socket.inet_aton(GUEST_IP))
    if checksum is None:
        words = struct.unpack("!10H", header)
        s = sum(words)
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        checksum = ~s & 0xFFFF
    return header[:10] + struct.pack("!H", checksum) + header[12:] + b"\0" * (4 * ihl - 20)


def families(guest_mac):
    eth_ip = guest_mac + HOST_MAC + b"\x08\x00"
    eth_arp = b"\xff" * 6 + HOST_MAC + b"\x08\x06"
    rng = random.Random(1)
    udp = lambda length, dport=ECHO_PORT: struct.pack("!HHHH", 5000, dport, length, 0)
    # (The host refuses frames shorter than the 14-byte Ethernet header.)
    yield "truncated", [eth_ip + ip_header(40)[:n] for n in range(0, 20)] \
        + [eth_ip + ip_header(28)[:20] + udp(8)[:n] for n in range(0, 8)]
    yield "arp", [eth_arp + bytes(n) for n in range(0, 28)] \
        + [eth_arp + struct.pack("!HHBBH", 1, 0x800, hlen, plen, 1) + bytes(20) for hlen, plen in
           ((0, 4), (6, 0), (255, 255), (6, 16))]
    yield "ip_headers", [
        eth_ip + ip_header(2000) + udp(8),              # total length beyond the frame
        eth_ip + ip_header(10) + udp(8),                # total length below the header
        eth_ip + ip_header(28, ihl=4) + udp(8),         # header length below 20
        eth_ip + ip_header(28, ihl=15) + udp(8),        # header longer than the packet
        eth_ip + ip_header(28, checksum=0x1234) + udp(8),  # bad checksum
        eth_ip + ip_header(28 + 8, flags_fragment=0x2000) + udp(16) + bytes(8),  # a fragment
        eth_ip + ip_header(28) + udp(4000),             # UDP length beyond the packet
        eth_ip + ip_header(28) + udp(3),                # UDP length below its header
        eth_ip + ip_header(40, proto=6) + bytes(20),    # TCP with a zero header
        eth_ip + ip_header(24, proto=6) + bytes(4),     # truncated TCP
        eth_ip + ip_header(22, proto=1) + bytes(2),     # truncated ICMP
        eth_ip + ip_header(28, proto=99) + bytes(8),    # unknown protocol
    ]
    yield "random", [(eth_ip if rng.random() < 0.5 else guest_mac + HOST_MAC + rng.randbytes(2))
                     + rng.randbytes(rng.randrange(0, 1500)) for _ in range(1000)]


def echo_works(seconds):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        data = os.urandom(100)
        sock.sendto(data, (GUEST_IP, ECHO_PORT))
        try:
            while True:
                got, _ = sock.recvfrom(4096)
                if got == data:
                    return True
        except socket.timeout:
            continue
    return False


def main():
    tap, guest_mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
    if not echo_works(20):
        print("FAIL: malformed_setup: the guest never answered over the TAP device")
        return
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind((tap, 0))
    for name, frames in families(guest_mac):
        for frame in frames:
            raw.send(frame)
            time.sleep(0.0005)
        if echo_works(5):
            print("PASS: malformed_%s: %d frames, still echoing" % (name, len(frames)))
        else:
            print("FAIL: malformed_%s: no echo after %d frames" % (name, len(frames)))


if __name__ == "__main__":
    main()

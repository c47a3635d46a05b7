"""Sends malformed frames to a guest over a TAP device and checks that every
echo service given keeps answering. Runs inside the test's private network
namespace, where the TAP device holds 10.0.2.1/24 (with an MTU that lets
frames longer than Ethernet's through).

Usage: malformed.py TAP GUEST_MAC [ADDRESS:PORT...] [--buffers]
  ADDRESS:PORT: UDP echo services to check after each family (default
  10.0.2.15:1235); GUEST_MAC is the first one's.
  --buffers: finally ask the first service for the buffer accounting
  ("pride-buffers?"); the report goes to the guest's console.
Prints one PASS/FAIL line per family of malformed frames.
"""
import os
import random
import socket
import struct
import sys
import time

GUEST_IP = "10.0.2.15"  # of the first echo service, to which frames are addressed
ECHO_PORT = 1235
ETH_HEADER = 14
ETH_MAX_FRAME = 1514  # Ethernet without FCS: the guest accepts no longer frame
GUEST_BUFFER = 2048  # the guest's receive buffers: the device can write this much
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
    # Longer than Ethernet allows but within the guest's buffers, to the
    # guest and to everyone: more than it has receive buffers.
    yield "oversized", [(guest_mac if n % 2 else b"\xff" * 6) + HOST_MAC + b"\x08\x00"
                        + bytes(ETH_MAX_FRAME + 1 + n * 7 % (GUEST_BUFFER - ETH_MAX_FRAME) - ETH_HEADER)
                        for n in range(256)]
    # Longer than the guest's buffers: the device cannot take them at all.
    yield "beyond_buffer", [guest_mac + HOST_MAC + b"\x08\x00"
                            + bytes(GUEST_BUFFER + 1 + n * 13 % 1900 - ETH_HEADER) for n in range(200)]
    yield "random", [(eth_ip if rng.random() < 0.5 else guest_mac + HOST_MAC + rng.randbytes(2))
                     + rng.randbytes(rng.randrange(0, 1500)) for _ in range(1000)]


def answer(target, data, seconds):
    """The first reply to data from target (retried for seconds), or None."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.5)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.sendto(data, target)
        try:
            return sock.recvfrom(4096)[0]
        except socket.timeout:
            continue
    return None


def echo_works(target, seconds):
    data = os.urandom(100)
    return answer(target, data, seconds) == data


def silent(targets, seconds):
    """The targets that do not echo within seconds each."""
    return ["%s:%d" % t for t in targets if not echo_works(t, seconds)]


def main():
    tap, guest_mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
    args = sys.argv[3:]
    targets = [(a.split(":")[0], int(a.split(":")[1])) for a in args if a != "--buffers"]
    targets = targets or [(GUEST_IP, ECHO_PORT)]
    if silent(targets, 20):
        print("FAIL: malformed_setup: %s never answered over the TAP device" % silent(targets, 1))
        return
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    raw.bind((tap, 0))
    for name, frames in families(guest_mac):
        for frame in frames:
            raw.send(frame)
            time.sleep(0.0005)
        dead = silent(targets, 5)
        if not dead:
            print("PASS: malformed_%s: %d frames, still echoing" % (name, len(frames)))
        else:
            print("FAIL: malformed_%s: no echo from %s after %d frames"
                  % (name, " ".join(dead), len(frames)))
    if "--buffers" in args:
        reply = answer(targets[0], b"pride-buffers?", 5)
        if reply == b"accounting asked":
            print("PASS: malformed_buffers_query")
        else:
            print("FAIL: malformed_buffers_query: answer %r" % reply)


if __name__ == "__main__":
    main()

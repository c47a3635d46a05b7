"""Measures the web server's cost per keep-alive GET in guest instructions.

Usage: measure.py insns PORT COUNT NAME=PATH...
       measure.py rate PORT SECONDS CONNECTIONS NAME=PATH...
Each PATH is a file on the host that is also at /<its basename> on the
guest's disk; NAME names its figures.

insns: the guest (built with PRIDE_BENCH) answers GET /pride-insns with its
retired-instruction counter (PMU, EL0 + EL1: all PDs and the kernel, modulo
2^32; it does not advance while the CPU idles). On one keep-alive
connection: the counter, COUNT GETs of the file one after another (each
reply read to exactly its Content-Length and compared with the file), the
counter again. The idle cost (timer ticks) over the same wall time and one
counter query's own cost, both measured separately first, are subtracted.

rate: CONNECTIONS keep-alive connections, one thread each, GET the file one
request after another for SECONDS; prints completed requests per second.
"""
import os
import socket
import sys
import threading
import time

HOST = "127.0.0.1"
TIMEOUT = 30  # seconds for any one reply
HEAD_MAX = 8192


class Conn:
    """One keep-alive HTTP/1.1 connection on a raw socket."""

    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port), timeout=TIMEOUT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def get(self, path):
        """GET path; returns the body, read to exactly its Content-Length."""
        self.sock.sendall(b"GET %s HTTP/1.1\r\nHost: pride\r\n\r\n" % path.encode())
        for _ in range(HEAD_MAX):
            if b"\r\n\r\n" in self.buf:
                break
            self.more()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        if not lines[0].startswith(b"HTTP/1.1 200"):
            raise SystemExit("GET %s: %r" % (path, lines[0]))
        length = None
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            raise SystemExit("GET %s: no Content-Length" % path)
        for _ in range(length + 1):
            if len(self.buf) >= length:
                break
            self.more()
        body, self.buf = self.buf[:length], self.buf[length:]
        return body

    def more(self):
        data = self.sock.recv(65536)
        if not data:
            raise SystemExit("the server closed the connection")
        self.buf += data

    def close(self):
        self.sock.close()


def since(before, after):
    return (after - before) % (1 << 32)  # the guest's counter is 32 bits


def files(args):
    out = []
    for arg in args:
        name, _, path = arg.partition("=")
        with open(path, "rb") as f:
            out.append((name, "/" + os.path.basename(path), f.read()))
    return out


def insns(port, count, targets):
    conn = Conn(port)
    counter = lambda: int(conn.get("/pride-insns"))
    for _ in range(10):  # warm up: handshake, ARP, the counter's own path
        counter()
    # One query's cost: the median gap between back-to-back queries (the
    # idle cost in so short a gap is below the noise).
    gaps = []
    last = counter()
    for _ in range(21):
        now = counter()
        gaps.append(since(last, now))
        last = now
    query = sorted(gaps)[len(gaps) // 2]
    before, start = counter(), time.monotonic()
    time.sleep(1.0)
    after, elapsed = counter(), time.monotonic() - start
    idle_per_second = max(since(before, after) - query, 0) / elapsed
    for name, path, data in targets:
        for _ in range(5):  # warm up: the file's path through the fs server
            if conn.get(path) != data:
                raise SystemExit("GET %s: the body differs from the file" % path)
        before, start = counter(), time.monotonic()
        for _ in range(count):
            if conn.get(path) != data:
                raise SystemExit("GET %s: the body differs from the file" % path)
        after, elapsed = counter(), time.monotonic() - start
        total = since(before, after) - query - idle_per_second * elapsed
        print("web_get_%s_insns_per_request: %d" % (name, total / count))
    print("web_query_insns: %d" % query)
    print("web_idle_insns_per_second: %d" % idle_per_second)
    conn.close()


def rate(port, seconds, connections, targets):
    for name, path, data in targets:
        done = [0] * connections
        errors = []
        stop = time.monotonic() + seconds

        def client(i):
            try:
                conn = Conn(port)
                while time.monotonic() < stop:
                    if len(conn.get(path)) != len(data):
                        raise SystemExit("GET %s: short body" % path)
                    done[i] += 1
                conn.close()
            except (OSError, SystemExit) as e:
                errors.append(str(e))

        start = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(seconds + TIMEOUT)
        if errors:
            raise SystemExit("GET %s: %s" % (path, errors[0]))
        print("web_get_%s_requests_per_second: %d" % (name, sum(done) / (time.monotonic() - start)))


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    if mode == "insns":
        insns(port, int(sys.argv[3]), files(sys.argv[4:]))
    elif mode == "rate":
        rate(port, float(sys.argv[3]), int(sys.argv[4]), files(sys.argv[5:]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()

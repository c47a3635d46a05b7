"""The HTTP client that bench/trace.py (TRACE_MODE=web) drives while it
single-steps the web server: a process of its own, since gdb keeps Python's
lock while the guest runs, and a client thread inside gdb would starve.

Usage: web_client.py PORT PATH WARM COUNT
On one keep-alive connection: WARM GETs of PATH (retried until the guest
serves), then "warmed" on stdout; after a line on stdin, COUNT GETs, then
"done". Any failure prints "error: ..." and exits non-zero.
"""
import socket
import sys
import time


class Conn:
    """One keep-alive HTTP/1.1 connection; get() reads a reply to exactly
    its Content-Length, so the next GET starts on a clean stream."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def get(self, path):
        self.sock.sendall(b"GET %s HTTP/1.1\r\nHost: pride\r\n\r\n" % path.encode())
        while b"\r\n\r\n" not in self.buf:
            self.more()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 200"):
            raise ValueError("GET %s: %r" % (path, head.split(b"\r\n")[0]))
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(self.buf) < length:
            self.more()
        self.buf = self.buf[length:]

    def more(self):
        data = self.sock.recv(65536)
        if not data:
            raise ValueError("the server closed the connection")
        self.buf += data


def first_connection(port, path):
    # The guest boots only as fast as the tracer lets it run.
    deadline = time.monotonic() + 120
    while True:
        try:
            conn = Conn(port)
            conn.get(path)
            return conn
        except (OSError, ValueError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def say(word):
    sys.stdout.write(word + "\n")
    sys.stdout.flush()


def main():
    port, path, warm, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    try:
        conn = first_connection(port, path)
        for _ in range(warm):
            conn.get(path)
        time.sleep(0.5)  # the warm-up's last ACKs go by untraced
        say("warmed")
        sys.stdin.readline()
        for _ in range(count):
            conn.get(path)
        say("done")
    except (OSError, ValueError) as e:
        say("error: %s" % e)
        sys.exit(1)


if __name__ == "__main__":
    main()

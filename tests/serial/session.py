"""Drives a guest's serial console over a Unix socket.

Usage: session.py SOCKET LOG STEP...
Each STEP is 'send:TEXT' (Python escapes allowed, e.g. \\r, \\x1d) or
'expect:TEXT' (wait until TEXT has appeared in the output since the last
matched expectation). Every wait is bounded; all output goes to LOG.
Exits 0 if every step succeeded, else prints why and exits 1.
"""
import os
import socket
import sys
import time

CONNECT_SECONDS = 10
EXPECT_SECONDS = 15


def connect(path):
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main():
    path, log_path, steps = sys.argv[1], sys.argv[2], sys.argv[3:]
    sock = connect(path)
    sock.settimeout(0.1)
    output = b""
    seen = 0
    with open(log_path, "wb") as log:
        for step in steps:
            kind, _, text = step.partition(":")
            data = text.encode().decode("unicode_escape").encode("latin-1")
            if kind == "send":
                sock.sendall(data)
                continue
            deadline = time.monotonic() + EXPECT_SECONDS
            while data not in output[seen:]:
                if time.monotonic() > deadline:
                    print("timed out waiting for %r" % text)
                    return 1
                try:
                    chunk = sock.recv(4096)
                except socket.timeout:
                    continue
                if not chunk:
                    print("console closed waiting for %r" % text)
                    return 1
                output += chunk
                log.write(chunk)
                log.flush()
            seen = output.index(data, seen) + len(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())

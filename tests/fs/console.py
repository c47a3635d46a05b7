#!/usr/bin/env python3
"""Types commands into a guest's serial console and records what it says.

usage: console.py SOCKET PROMPT TIMEOUT < commands

Connects to QEMU's serial chardev (a UNIX socket), waits for PROMPT, then
for each line of stdin types it and waits for the next PROMPT. Every wait
is bounded by TIMEOUT seconds; the transcript goes to stdout, and the exit
status is 1 if a prompt did not come.
"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'serial'))
from session import connect  # noqa: E402  (the serial tests' socket connect, bounded)


def wait_for(s, prompt, timeout, seen):
    deadline = time.time() + timeout
    start = len(seen[0])  # a new prompt, not the one already seen
    while len(seen[0]) == start or not seen[0].endswith(prompt):
        s.settimeout(max(0.01, deadline - time.time()))
        try:
            data = s.recv(4096)
        except socket.timeout:
            return False
        if not data:
            return False
        seen[0] += data.decode('utf-8', 'replace')
    return True


def main():
    path, prompt, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
    s = connect(path)
    seen = ['']
    ok = wait_for(s, prompt, timeout, seen)
    for line in sys.stdin.read().splitlines():
        if not ok:
            break
        s.settimeout(timeout)
        for ch in line + '\r':
            s.sendall(ch.encode('utf-8'))  # typed, not pasted: the RX queue is small
            time.sleep(0.002)
        ok = wait_for(s, prompt, timeout, seen)
    sys.stdout.write(seen[0])
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())

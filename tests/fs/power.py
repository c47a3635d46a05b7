#!/usr/bin/env python3
"""Checks a FAT image after a power cut against what the guest said.

usage: power.py STATE LOG IMAGE

LOG is the serial output of tests/systems/fs_stress in "power" mode up to
the cut: "tester: synced NAME SIZE CRC" (NAME is on the device),
"tester: begin NAME" (NAME is being changed: anything goes until it is
synced again), "tester: removed NAME" (NAME's removal is on the device).
STATE (JSON) carries what earlier boots established. Every synced file must
be in IMAGE with that size and CRC-32, every removed one must be gone;
prints one line per problem and "checked N synced, M removed"; exits 1 if
any problem.
"""
import json
import os
import subprocess
import sys
import tempfile
import zlib


def update(state, log):
    text = open(log, 'rb').read().decode('utf-8', 'replace')
    complete = text[:text.rfind('\n') + 1]  # the cut may leave half a line
    for line in complete.splitlines():
        words = line.split()
        if len(words) < 3 or words[0] != 'tester:':
            continue
        if words[1] == 'begin':
            state[words[2]] = None
        elif words[1] == 'synced' and len(words) == 5:
            state[words[2]] = [int(words[3]), words[4]]
        elif words[1] == 'removed':
            state[words[2]] = 'removed'


def read_out(image, name, tmp):
    out = os.path.join(tmp, 'f')
    if os.path.exists(out):
        os.remove(out)
    r = subprocess.run(['mcopy', '-n', '-i', image, '::' + name, out], capture_output=True)
    return open(out, 'rb').read() if r.returncode == 0 else None


def main():
    state_file, log, image = sys.argv[1:4]
    state = json.load(open(state_file)) if os.path.exists(state_file) else {}
    update(state, log)
    json.dump(state, open(state_file, 'w'))
    problems, synced, removed = 0, 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, want in sorted(state.items()):
            if want is None:
                continue
            data = read_out(image, name, tmp)
            if want == 'removed':
                removed += 1
                if data is not None:
                    print('%s: removed, but still there' % name)
                    problems += 1
                continue
            synced += 1
            crc = None if data is None else '%08x' % zlib.crc32(data)
            if data is None or len(data) != want[0] or crc != want[1]:
                print('%s: synced as %d bytes %s, now %s' %
                      (name, want[0], want[1], 'missing' if data is None else '%d bytes %s' % (len(data), crc)))
                problems += 1
    print('checked %d synced, %d removed' % (synced, removed))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

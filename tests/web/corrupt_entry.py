#!/usr/bin/env python3
"""Corrupts one short directory entry of a FAT32 image in place: its first
cluster is set beyond the volume, so the file server must refuse the
entry (and its directory's lookups past it) as corrupt.

usage: corrupt_entry.py IMAGE 'NAME    EXT' (the 11 bytes of the 8.3 name)"""
import sys

image, name = sys.argv[1], sys.argv[2].encode()
if len(name) != 11:
    sys.exit('corrupt_entry.py: the 8.3 name must be 11 bytes')
data = bytearray(open(image, 'rb').read())
# directory entries are 32-byte aligned; the attribute byte follows the name
hits, at = [], data.find(name)
while at >= 0:
    if at % 32 == 0 and data[at + 11] & 0x18 == 0:  # not a volume label, not a directory
        hits.append(at)
    at = data.find(name, at + 1)
if len(hits) != 1:
    sys.exit('corrupt_entry.py: %d entries named %r in %s' % (len(hits), name, image))
beyond = 0x0FFFFFF0  # FAT32's highest cluster numbers: no volume has them
data[hits[0] + 20:hits[0] + 22] = (beyond >> 16).to_bytes(2, 'little')
data[hits[0] + 26:hits[0] + 28] = (beyond & 0xFFFF).to_bytes(2, 'little')
open(image, 'r+b').write(data)

#!/usr/bin/env python3
"""Writes a copy of a Pride image with one boot-spec field changed and the
checksum recomputed, to test that the kernel rejects what the tool would not
have written.

  patch_spec.py IN OUT SPEC_SLOT_VA FIELD PD N VALUE

SPEC_SLOT_VA is the kernel's pride_bootspec_paddr (a virtual address of a
kernel segment). FIELD is one of
  irq      the INTID of channel N of PD (a uint16)
  trigger  the trigger of channel N of PD (a byte)
  name     byte N of PD's name
"""
import struct
import sys

SPEC_HEADER = 24           # magic, version, size, checksum, num_pds
CHECKSUM_OFFSET = 16
PD_SIZE = 672              # sizeof(struct bootspec_pd)
PD_CHANNELS = 176          # offsetof(struct bootspec_pd, channels)
CHANNEL_SIZE = 8
FIELDS = {                 # offset in the PD (plus N * stride), struct format
    "irq": (PD_CHANNELS + 4, CHANNEL_SIZE, "<H"),
    "trigger": (PD_CHANNELS + 6, CHANNEL_SIZE, "<B"),
    "name": (0, 1, "<B"),
}


def file_offset(image, address, use_paddr):
    """Where the byte at 'address' (virtual or physical) lies in the file."""
    phoff, = struct.unpack_from("<Q", image, 32)
    phnum, = struct.unpack_from("<H", image, 56)
    for i in range(phnum):
        _, _, offset, vaddr, paddr, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", image, phoff + 56 * i)
        base = paddr if use_paddr else vaddr
        if base <= address < base + filesz:
            return offset + address - base
    sys.exit(f"address {address:#x} is not in the file")


def checksum(spec):
    """bootspec_checksum() of include/pride/bootspec.h."""
    a, b = 1, 0
    for i, byte in enumerate(spec):
        if CHECKSUM_OFFSET <= i < CHECKSUM_OFFSET + 4:
            byte = 0
        a = (a + byte) % 65521
        b = (b + a) % 65521
    return (b << 16) | a


def main(src, dst, slot_va, field, pd, n, value):
    image = bytearray(open(src, "rb").read())
    spec_pa, = struct.unpack_from("<Q", image, file_offset(image, int(slot_va, 0), False))
    spec = file_offset(image, spec_pa, True)
    size, = struct.unpack_from("<I", image, spec + 12)
    base, stride, fmt = FIELDS[field]
    struct.pack_into(fmt, image, spec + SPEC_HEADER + int(pd) * PD_SIZE + base + int(n) * stride,
                     int(value, 0))
    struct.pack_into("<I", image, spec + CHECKSUM_OFFSET, checksum(image[spec:spec + size]))
    open(dst, "wb").write(image)


if __name__ == "__main__":
    main(*sys.argv[1:])

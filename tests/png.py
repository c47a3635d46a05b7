"""PNG decoding for the tests that look at pictures (tests/tool's graph,
tests/web's browser screenshots): Python's standard library only. 8-bit
grey, grey+alpha, RGB or RGBA, not interlaced; every filter type."""
import struct
import zlib

CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # colour type: bytes per pixel at 8 bits


def png_chunks(data):
    """The (type, body) chunks of a PNG file's bytes."""
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, chunks = 8, []
    while pos + 8 <= len(data):  # each step moves past one chunk
        length, kind = struct.unpack('>I4s', data[pos:pos + 8])
        chunks.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 12 + length  # length, type, body, CRC
        if kind == b'IEND':
            break
    return chunks


def paeth(a, b, c):
    """The neighbour (left, up, upper left) nearest to a + b - c."""
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def unfilter(kind, line, prev, bpp):
    """One scanline's bytes with its filter undone; prev is the line above."""
    out = bytearray(line)
    if kind == 0:
        return out
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        up = prev[i]
        if kind == 1:
            out[i] = (out[i] + left) & 255
        elif kind == 2:
            out[i] = (out[i] + up) & 255
        elif kind == 3:
            out[i] = (out[i] + ((left + up) >> 1)) & 255
        elif kind == 4:
            out[i] = (out[i] + paeth(left, up, prev[i - bpp] if i >= bpp else 0)) & 255
        else:
            raise ValueError('filter type %d' % kind)
    return out


def png_rows(data):
    """(width, height, bytes per pixel, rows of raw pixel bytes) of a PNG
    with 8-bit grey, grey+alpha, RGB or RGBA pixels, not interlaced."""
    chunks = png_chunks(data)
    width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', chunks[0][1])
    if chunks[0][0] != b'IHDR' or depth != 8 or colour not in CHANNELS or interlace:
        raise ValueError('unsupported PNG: depth %d colour %d interlace %d' % (depth, colour, interlace))
    bpp = CHANNELS[colour]
    raw = zlib.decompress(b''.join(body for kind, body in chunks if kind == b'IDAT'))
    stride = width * bpp
    if len(raw) != height * (stride + 1):
        raise ValueError('IDAT holds %d bytes, want %d' % (len(raw), height * (stride + 1)))
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        prev = unfilter(raw[start], raw[start + 1:start + 1 + stride], prev, bpp)
        rows.append(bytes(prev))
    return width, height, bpp, rows


def ink(data):
    """(distinct pixel values, share of pixels unlike the most common one)."""
    width, height, bpp, rows = png_rows(data)
    counts = {}
    for row in rows:
        for x in range(0, len(row), bpp):
            pixel = row[x:x + bpp]
            counts[pixel] = counts.get(pixel, 0) + 1
    return len(counts), 1 - max(counts.values()) / (width * height)

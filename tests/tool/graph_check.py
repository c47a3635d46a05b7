#!/usr/bin/env python3
"""Checks for `pride graph` output, used by tests/tool/run.sh.

    graph_check.py svg SVG SYSTEM    SVG is well-formed, self-contained, and has a
                                     text element for every PD of SYSTEM
    graph_check.py names SVG NAME..  SVG is well-formed and shows each NAME as a text
    graph_check.py dom DUMP SYSTEM   a browser's DOM dump of the SVG names every PD
    graph_check.py png PNG           PNG is not blank
    graph_check.py blank PNG W H [N] writes a white W x H PNG with N dark pixels

Each check prints why it failed and exits 1.
"""
import html
import os
import re
import struct
import sys
import xml.dom.minidom
import xml.etree.ElementTree as ET
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from png import ink  # noqa: E402 (tests/png.py)

SVG_NS = "http://www.w3.org/2000/svg"
# More than this fraction of the pixels must differ from the background.
# Scrollbars alone (a blank page larger than the window) make up to about 2%.
MIN_INK = 0.05


def pd_names(system_path):
    """The PD names of a .system file, nested PDs included, in document order."""
    root = ET.parse(system_path).getroot()
    return [pd.get("name") for pd in root.iter("protection_domain")]


def svg_texts(svg_path):
    """The text of every <text> element; raises if the file is not well-formed."""
    dom = xml.dom.minidom.parse(svg_path)
    if dom.documentElement.tagName != "svg":
        raise ValueError("root element is <%s>" % dom.documentElement.tagName)
    texts = set()
    for node in dom.getElementsByTagName("text"):
        texts.add("".join(c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE))
    return texts


def self_contained_problem(svg_path):
    """Why the SVG would load or run something from outside, or None."""
    text = open(svg_path, encoding="utf-8").read()
    if re.search(r"<script", text, re.I):
        return "has a <script>"
    if re.search(r"href\s*=", text, re.I):
        return "has an href"
    if re.search(r"url\((?!#)", text):
        return "has a url() that is not a fragment"
    if re.sub(r'xmlns="%s"' % re.escape(SVG_NS), "", text).find("://") >= 0:
        return "names an external resource"
    return None


def missing_names(svg_path, names):
    texts = svg_texts(svg_path)
    return [n for n in names if n not in texts]


def check_svg(svg_path, system_path):
    names = pd_names(system_path)
    if not names:
        return "the test found no PDs in " + system_path
    missing = missing_names(svg_path, names)
    if missing:
        return "no text for PDs %s" % missing
    return self_contained_problem(svg_path)


def check_names(svg_path, names):
    missing = missing_names(svg_path, names)
    return "no text for %s" % missing if missing else None


def check_dom(dump_path, system_path):
    dump = open(dump_path, encoding="utf-8", errors="replace").read()
    if "<svg" not in dump:
        return "the dump has no <svg> element: %r" % dump[:200]
    missing = [n for n in pd_names(system_path) if ">%s<" % html.escape(n, quote=False) not in dump]
    return "the DOM lacks PDs %s" % missing if missing else None


def check_png(path):
    colours, share = ink(open(path, "rb").read())
    if colours < 2:
        return "one colour only"
    if share <= MIN_INK:
        return "only %.3f%% of the pixels differ from the background" % (100 * share)
    return None


def write_blank(path, width, height, dots):
    """A white RGB PNG with 'dots' black pixels on its first row."""
    rows = []
    for y in range(height):
        row = bytearray(b"\xff" * (3 * width))
        if y == 0:
            row[:3 * dots] = bytes(3 * dots)
        rows.append(b"\x00" + bytes(row))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))


def main(argv):
    verb, args = argv[1], argv[2:]
    if verb == "blank":
        write_blank(args[0], int(args[1]), int(args[2]), int(args[3]) if len(args) > 3 else 0)
        return 0
    checks = {"svg": check_svg, "dom": check_dom, "png": check_png,
              "names": lambda svg, *names: check_names(svg, names)}
    try:
        why = checks[verb](*args)
    except Exception as e:  # a file that cannot be parsed fails the check
        why = "%s: %s" % (type(e).__name__, e)
    if why:
        print(why)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

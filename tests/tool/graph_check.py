#!/usr/bin/env python3
"""Checks for `pride graph` output, used by tests/tool/run.sh.

    graph_check.py svg SVG SYSTEM    SVG is well-formed, self-contained, and has a
                                     text element for every PD of SYSTEM
    graph_check.py names SVG NAME..  SVG is well-formed and shows each NAME as a text

Each check prints why it failed and exits 1.
"""
import re
import sys
import xml.dom.minidom
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"


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


def main(argv):
    verb, args = argv[1], argv[2:]
    checks = {"svg": check_svg,
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

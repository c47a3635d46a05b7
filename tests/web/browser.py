#!/usr/bin/env python3
"""The web server in a real browser (tests/web/run.sh, while its QEMU is up).

usage: browser.py PORT [WWW-DIR]

Headless Chromium loads / and /status from 127.0.0.1:PORT: a screenshot of
each must not be blank (checked by decoding the PNG here, standard library
only), and the DOM of each must hold the page's title; the status page's
must also hold <span id="requests">N</span> with N >= 1. First the PNG
check itself is shown to work: a crafted PNG that uses every scanline
filter decodes to the pixels it was made from, and a white PNG and a
screenshot of an empty page are called blank. Prints one
"PASS: web_browser_<name>" or "FAIL: web_browser_<name>: why" line per
check. Every Chromium run is bounded in time and killed with its children.
"""
import html.parser
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from png import ink, png_rows, paeth  # noqa: E402 (tests/png.py)

PORT = int(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WWW = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, 'examples', 'webserver', 'www')
OUT = os.path.join(os.environ.get('BUILD', os.path.join(ROOT, 'build')), 'tests', 'web', 'browser')
BROWSER_SECONDS = 45  # one Chromium run: start, load, render, exit
WINDOW = (1024, 768)
# Share of pixels that must differ from the background. The server's 404
# page, one heading, is about 0.4% of a 1024x768 window, the index page 1.2%;
# an empty page is 0 (scrollbars are hidden, so a long page cannot pass on
# them alone).
MIN_INK = 0.002


def check(name, ok, why=''):
    print(('PASS: web_browser_%s' % name) if ok else ('FAIL: web_browser_%s: %s' % (name, why)))
    sys.stdout.flush()


def blank_why(path):
    """Why the PNG at path looks blank, or '' if it does not."""
    try:
        with open(path, 'rb') as f:
            colours, share = ink(f.read())
    except (OSError, ValueError, zlib.error, struct.error, IndexError) as e:
        return '%s: %s' % (type(e).__name__, e)
    if colours < 2 or share < MIN_INK:
        return '%d colours, %.3f%% unlike the background (want %.1f%%)' % (
            colours, 100 * share, 100 * MIN_INK)
    return ''


# ---- crafted PNGs ----

def filtered(kind, line, prev, bpp):
    """The inverse of unfilter: the bytes a PNG stores for line."""
    out = bytearray(len(line))
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        upper_left = prev[i - bpp] if i >= bpp else 0
        guess = [0, left, prev[i], (left + prev[i]) >> 1, paeth(left, prev[i], upper_left)][kind]
        out[i] = (line[i] - guess) & 255
    return out


def make_png(width, height, pixel):
    """A width x height RGB PNG whose pixel at (x, y) is pixel(x, y), row y
    stored with filter type y % 5, so that every filter is exercised."""
    rows, prev, raw = [], bytes(width * 3), b''
    for y in range(height):
        line = b''.join(bytes(pixel(x, y)) for x in range(width))
        raw += bytes([y % 5]) + filtered(y % 5, line, prev, 3)
        rows.append(line)
        prev = line

    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
    data = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
    return data, rows


def decoder_checks():
    """The decoder on PNGs made here: a pattern round trip, and a white page."""
    data, rows = make_png(37, 23, lambda x, y: ((x * 7 + y) & 255, (x * y) & 255, (255 - x * 3) & 255))
    got = png_rows(data)
    check('png_decoder_all_filters', got == (37, 23, 3, rows), 'the decoded pixels differ')
    path = os.path.join(OUT, 'white.png')
    with open(path, 'wb') as f:
        f.write(make_png(64, 48, lambda x, y: (255, 255, 255))[0])
    check('png_check_rejects_white', blank_why(path) != '', 'a white PNG passed')


# ---- Chromium ----

def chromium(args, stdout_path):
    """Runs headless Chromium with a fresh profile and args, stdout to
    stdout_path; kills its process group after BROWSER_SECONDS. Returns ''
    if it exited by itself with status 0, else why not."""
    profile = tempfile.mkdtemp(prefix='profile.', dir=OUT)
    cmd = ['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync',
           '--user-data-dir=' + profile] + args
    try:
        with open(stdout_path, 'wb') as out, open(stdout_path + '.log', 'wb') as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True)  # its own group: children die too
            try:
                status = proc.wait(BROWSER_SECONDS)
                why = '' if status == 0 else 'chromium exited with %d' % status
            except subprocess.TimeoutExpired:
                why = 'chromium still running after %d s' % BROWSER_SECONDS
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # leftovers of this run only
            except ProcessLookupError:
                pass
            proc.wait()
    except OSError as e:
        why = 'cannot run chromium: %s' % e
    shutil.rmtree(profile, ignore_errors=True)
    return why


def screenshot(name, url):
    """(path of a fresh screenshot of url, why there is none)."""
    png = os.path.join(OUT, name + '.png')
    if os.path.exists(png):
        os.remove(png)
    why = chromium(['--screenshot=' + png, '--window-size=%d,%d' % WINDOW, '--hide-scrollbars', url],
                   os.path.join(OUT, name + '.png.out'))
    return png, why or ('' if os.path.exists(png) else 'no screenshot')


def screenshot_check(name, url):
    """PASS if url's screenshot could be taken and is not blank."""
    png, why = screenshot(name, url)
    why = why or blank_why(png)
    check(name + '_screenshot', why == '', why)


def dump_dom(name, url):
    """(DOM of url as Chromium serialises it, why it could not be had)."""
    path = os.path.join(OUT, name + '.html')
    why = chromium(['--dump-dom', url], path)
    with open(path, 'rb') as f:
        return f.read().decode('utf-8', 'replace'), why


class ElementText(html.parser.HTMLParser):
    """The text inside the first element whose id is wanted."""
    VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source',
            'track', 'wbr'}  # no end tag: they do not deepen the nesting

    def __init__(self, wanted):
        super().__init__()
        self.wanted, self.depth, self.text, self.found = wanted, 0, '', False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif not self.found and dict(attrs).get('id') == self.wanted:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text += data


def element_text(dom, wanted):
    """The text of the element with id wanted, or None if there is none."""
    parser = ElementText(wanted)
    parser.feed(dom)
    parser.close()
    return parser.text.strip() if parser.found else None


def index_title():
    """The <title> element of the www index page, as written there."""
    with open(os.path.join(WWW, 'index.html'), encoding='utf-8') as f:
        found = re.search(r'<title>.*?</title>', f.read(), re.S)
    return found.group(0) if found else '<title>'


def blank_page_check():
    """A screenshot of an empty white page must be called blank."""
    png, why = screenshot('empty', 'data:text/html,<html><body></body></html>')
    check('png_check_rejects_empty_page', not why and blank_why(png) != '',
          why or 'the screenshot of an empty page passed')


def index_checks(base):
    screenshot_check('index', base + '/')
    dom, why = dump_dom('index', base + '/')
    title = index_title()
    check('index_dom_title', not why and title in dom, why or 'no %s in the DOM' % title)


def status_checks(base):
    screenshot_check('status', base + '/status')
    dom, why = dump_dom('status', base + '/status')
    title = '<title>Pride status</title>'
    check('status_dom_title', not why and title in dom, why or 'no %s in the DOM' % title)
    count = element_text(dom, 'requests')
    check('status_dom_requests', count is not None and re.fullmatch('[0-9]+', count) and int(count) >= 1,
          'id="requests" holds %r' % count if count is not None else 'no element with id="requests"')


def main():
    os.makedirs(OUT, exist_ok=True)
    base = 'http://127.0.0.1:%d' % PORT
    decoder_checks()
    blank_page_check()
    index_checks(base)
    status_checks(base)


main()

#!/usr/bin/env python3
"""HTTP checks against the guest's web server (tests/web/run.sh).

usage: check.py PORT WWW-DIR

Talks to 127.0.0.1:PORT with raw sockets (every wait bounded) and prints
one "PASS: web_<name>" or "FAIL: web_<name>: why" line per check.
"""
import hashlib
import json
import os
import re
import socket
import sys
import threading
import time

PORT = int(sys.argv[1])
WWW = sys.argv[2]
TIMEOUT = 15
# QEMU's host-side listener has a backlog of one: a connect beyond it waits
# for the host's SYN retries (1, 3, 7, 15, 31 s), not for the guest.
CONNECT_TIMEOUT = 40


def connect():
    try:
        s = socket.create_connection(('127.0.0.1', PORT), timeout=CONNECT_TIMEOUT)
    except socket.timeout:
        raise TimeoutError('no connection in %d s' % CONNECT_TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


def read_response(s, buf, head_only=False):
    """One response from s (buf: bytes already read): (status, headers, body, rest)."""
    deadline = time.time() + TIMEOUT
    while b'\r\n\r\n' not in buf:
        if time.time() > deadline:
            raise TimeoutError('no head')
        data = s.recv(65536)
        if not data:
            raise ConnectionError('closed before a head: %r' % buf[:80])
        buf += data
    head, buf = buf.split(b'\r\n\r\n', 1)
    lines = head.decode('latin-1').split('\r\n')
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, v in (l.split(':', 1) for l in lines[1:])}
    length = 0 if head_only or status == 304 else int(headers.get('content-length', '-1'))
    if length < 0:  # to the close
        while True:
            data = s.recv(65536)
            if not data:
                break
            buf += data
        return status, headers, buf, b''
    while len(buf) < length:
        if time.time() > deadline:
            raise TimeoutError('body short: %d of %d' % (len(buf), length))
        data = s.recv(1 << 20)
        if not data:
            raise ConnectionError('closed in the body')
        buf += data
    return status, headers, buf[:length], buf[length:]


def request(target, method='GET', headers=(), raw=None):
    s = connect()
    try:
        s.sendall(raw if raw is not None else
                  ('%s %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n' %
                   (method, target, ''.join(h + '\r\n' for h in headers))).encode('latin-1'))
        return read_response(s, b'', head_only=method == 'HEAD')
    except socket.timeout:
        raise TimeoutError('connected, but no answer to %s %s in %d s' % (method, target, TIMEOUT))
    finally:
        s.close()


results = []


def check(name, ok, why=''):
    print(('PASS: web_%s' % name) if ok else ('FAIL: web_%s: %s' % (name, why)))
    sys.stdout.flush()


def www(path):
    return open(os.path.join(WWW, path.lstrip('/')), 'rb').read()


def test(name, fn):
    try:
        fn(name)
    except Exception as e:  # a failed check, not a crashed run
        check(name, False, '%s: %s' % (type(e).__name__, e))


def files(name):
    st, h, body, _ = request('/')
    check(name + '_index', st == 200 and body == www('index.html') and
          h.get('content-type') == 'text/html; charset=utf-8', '%d %r' % (st, h))
    st, h, body, _ = request('/docs/about.txt')
    check(name + '_file', st == 200 and body == www('docs/about.txt') and
          h.get('content-type', '').startswith('text/plain'), '%d %r' % (st, h))
    st, h, body, _ = request('/docs')
    check(name + '_dir_redirect', st == 301 and h.get('location') == '/docs/', '%d %r' % (st, h))
    st, h, body, _ = request('/docs/')
    check(name + '_dir_index', st == 200 and body == www('docs/index.html'), '%d' % st)
    st, h, body, _ = request('/big.bin')
    check(name + '_big_file', st == 200 and hashlib.sha256(body).hexdigest() ==
          hashlib.sha256(www('big.bin')).hexdigest(), '%d, %d bytes' % (st, len(body)))
    st, h, body, _ = request('/big.bin', 'HEAD')
    check(name + '_head', st == 200 and body == b'' and
          int(h.get('content-length', -1)) == len(www('big.bin')), '%d %r' % (st, h))


def statuses(name):
    want = {'/nothere.html': 404, '/docs/nothere/x': 404}
    for target, code in want.items():
        st, h, body, _ = request(target)
        check(name + '_404' + target.replace('/', '_').replace('.', '_'), st == code and b'404' in body,
              '%d' % st)
    st, h, body, _ = request('/', 'DELETE')
    check(name + '_405_allow', st == 405 and h.get('allow') == 'GET, HEAD, PUT', '%d %r' % (st, h))
    for target in ['/../etc/passwd', '/%2e%2e/x', '/docs/%2e%2e/%2e%2e/x', '/a%00b', '/%2fetc', '/a\\b']:
        st, h, body, _ = request(target)
        check(name + '_traversal_' + target.encode().hex()[:16], st in (400, 404) and st != 200, '%d' % st)
    st, *_ = request(None, raw=b'GET / HTTP/2.0\r\nHost: x\r\n\r\n')
    check(name + '_505', st == 505, '%d' % st)
    st, *_ = request(None, raw=b'GET / HTTP/1.1\r\n\r\n')
    check(name + '_400_no_host', st == 400, '%d' % st)
    st, *_ = request(None, raw=('GET /' + 'a' * 3000 + ' HTTP/1.1\r\nHost: x\r\n\r\n').encode())
    check(name + '_414', st == 414, '%d' % st)
    st, *_ = request(None, raw=b'GET / HTTP/1.1\r\nHost: x\r\n' + b'X-Big: ' + b'b' * 9000 + b'\r\n\r\n')
    check(name + '_431', st == 431, '%d' % st)


def conditions(name):
    size = len(www('big.bin'))
    st, h, body, _ = request('/big.bin', headers=['Range: bytes=10-19'])
    check(name + '_range', st == 206 and body == www('big.bin')[10:20] and
          h.get('content-range') == 'bytes 10-19/%d' % size, '%d %r' % (st, h))
    st, h, body, _ = request('/big.bin', headers=['Range: bytes=-100'])
    check(name + '_suffix_range', st == 206 and body == www('big.bin')[-100:], '%d' % st)
    st, h, body, _ = request('/big.bin', headers=['Range: bytes=%d-' % size])
    check(name + '_416', st == 416 and h.get('content-range') == 'bytes */%d' % size, '%d %r' % (st, h))
    st, h, _, _ = request('/')
    etag, modified = h.get('etag'), h.get('last-modified')
    st, h, body, _ = request('/', headers=['If-None-Match: ' + etag])
    check(name + '_304_etag', st == 304 and body == b'', '%d' % st)
    st, h, body, _ = request('/', headers=['If-Modified-Since: ' + modified])
    check(name + '_304_date', st == 304, '%d' % st)
    st, h, body, _ = request('/', headers=['If-None-Match: "other"'])
    check(name + '_200_other_etag', st == 200 and body == www('index.html'), '%d' % st)


def keep_alive(name):
    s = connect()
    ok = True
    buf = b''
    for i in range(20):  # one connection, one request after another
        s.sendall(b'GET /docs/about.txt HTTP/1.1\r\nHost: x\r\n\r\n')
        st, h, body, buf = read_response(s, buf)
        ok &= st == 200 and body == www('docs/about.txt') and h.get('connection') == 'keep-alive'
    check(name + '_sequential', ok)
    s.sendall(b''.join(b'GET /docs/about.txt HTTP/1.1\r\nHost: x\r\n\r\n' for _ in range(10)))
    got = 0
    for i in range(10):  # pipelined: ten in one write, ten answers in order
        st, h, body, buf = read_response(s, buf)
        got += st == 200 and body == www('docs/about.txt')
    check(name + '_pipelined', got == 10, '%d of 10' % got)
    s.close()


CONNECTIONS = 32  # the server holds this many at once


def in_threads(n, fn):
    """fn(i) for i in range(n), each in its own thread; their results."""
    out = [None] * n

    def run(i):
        try:
            out[i] = fn(i)
        except Exception as e:
            out[i] = e
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 4)
    return out


def storm(n):
    """n clients at once, each asking for one file: their status codes (0: none)."""
    def one(i):
        st, _, body, _ = request('/docs/about.txt')
        return st if st != 200 or body == www('docs/about.txt') else -1
    return [c if isinstance(c, int) else 0 for c in in_threads(n, one)]


def concurrent(name):
    """CONNECTIONS clients each get a file and keep their connection; once
    all are open at the same time, each asks again on it."""
    want = www('mid.bin')
    ready = threading.Barrier(CONNECTIONS, timeout=TIMEOUT * 2)

    def one(i):
        s = connect()
        try:
            s.sendall(b'GET /mid.bin HTTP/1.1\r\nHost: x\r\n\r\n')
            first = read_response(s, b'')
            ready.wait()
            s.sendall(b'GET /mid.bin HTTP/1.1\r\nHost: x\r\n\r\n')
            second = read_response(s, first[3])
            return first[0] == second[0] == 200 and first[2] == second[2] == want
        finally:
            s.close()
    ok = in_threads(CONNECTIONS, one)
    check(name + '_%d_held' % CONNECTIONS, all(r is True for r in ok),
          '%d of %d: %r' % (sum(r is True for r in ok), CONNECTIONS,
                            [r for r in ok if r is not True][:3]))


def huge_download(name):
    """The 64 MiB file, checked by checksum as it streams in."""
    s = connect()
    digest, got = hashlib.sha256(), 0
    try:
        s.sendall(b'GET /huge.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
        buf = b''
        while b'\r\n\r\n' not in buf and len(buf) < 65536:
            buf += s.recv(65536)
        head, body = buf.split(b'\r\n\r\n', 1)
        s.settimeout(TIMEOUT)
        while body:
            digest.update(body)
            got += len(body)
            body = s.recv(1 << 20)
    finally:
        s.close()
    with open(os.path.join(WWW, 'huge.bin'), 'rb') as f:
        want = hashlib.file_digest(f, 'sha256').hexdigest()
    check(name, head.startswith(b'HTTP/1.1 200') and got == 64 << 20 and
          digest.hexdigest() == want, '%r, %d bytes' % (head[:20], got))


UPLOAD_LIMIT = 16 << 20


def put(target, body, headers=()):
    return request(None, raw=('PUT %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n%s'
                              'Connection: close\r\n\r\n' %
                              (target, len(body), ''.join(h + '\r\n' for h in headers))).encode()
                   + body)


def uploads(name):
    first, second = os.urandom(300000), os.urandom(5000)
    st, *_ = put('/upload/new.bin', first)
    got = request('/upload/new.bin')
    check(name + '_created', st == 201 and got[0] == 200 and got[2] == first, '%d, %d' % (st, got[0]))
    st, *_ = put('/upload/new.bin', second)
    got = request('/upload/new.bin')
    check(name + '_replaced', st == 204 and got[2] == second, '%d, %d bytes' % (st, len(got[2])))
    st, *_ = put('/upload/empty', b'')
    check(name + '_empty', st == 201 and request('/upload/empty')[2] == b'', '%d' % st)
    codes = [put(t, b'x')[0] for t in ('/index.html', '/upload/', '/upload/.put-0', '/upload/a/b')]
    check(name + '_403_outside', codes == [403] * 4, '%r' % codes)
    check(name + '_index_untouched', request('/')[2] == www('index.html'))
    st, *_ = request(None, raw=b'PUT /upload/c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked'
                     b'\r\n\r\n1\r\nx\r\n0\r\n\r\n')
    check(name + '_411_chunked', st == 411, '%d' % st)
    st, *_ = request(None, raw=b'PUT /upload/big HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n'
                     % (UPLOAD_LIMIT + 1))
    check(name + '_413_over_limit', st == 413 and request('/upload/big')[0] == 404, '%d' % st)
    st, *_ = request(None, raw=b'PUT /upload/e HTTP/1.1\r\nHost: x\r\nExpect: coffee\r\n'
                     b'Content-Length: 1\r\n\r\nx')
    check(name + '_417', st == 417, '%d' % st)
    continued(name)
    interrupted(name, second)


def continued(name):
    """Expect: 100-continue, the body after the interim answer, and a GET
    on the same connection."""
    body = os.urandom(70000)
    s = connect()
    try:
        s.sendall(b'PUT /upload/cont HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n'
                  b'Content-Length: %d\r\n\r\n' % len(body))
        interim = s.recv(25)
        s.sendall(body + b'GET /upload/cont HTTP/1.1\r\nHost: x\r\n\r\n')
        st, _, _, rest = read_response(s, b'')
        st2, _, got, _ = read_response(s, rest)
    finally:
        s.close()
    check(name + '_100_continue', interim == b'HTTP/1.1 100 Continue\r\n\r\n' and st == 201 and
          st2 == 200 and got == body, '%r %d' % (interim, st))


def interrupted(name, current):
    """A body cut short: the target keeps what it had, no trace is served.
    Again and again, with a GET straight after: the write in flight when
    the body ends must be answered before the slot serves anyone else."""
    results = [cut_short(current) for _ in range(6)]
    check(name + '_cut_short', all(results), '%r' % results)


def cut_short(current):
    s = connect()
    s.sendall(b'PUT /upload/new.bin HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n' +
              b'y' * 40000)
    s.shutdown(socket.SHUT_WR)
    try:
        st = read_response(s, b'')[0]
    except (ConnectionError, TimeoutError):
        st = 0
    s.close()
    st2, _, got, _ = request('/upload/new.bin')
    return st in (0, 400) and st2 == 200 and got == current


def closed_silently(s):
    """Does the server close s, idle, without sending anything?"""
    s.settimeout(15)
    try:
        data = s.recv(4096)
    except (ConnectionError, socket.timeout):
        data = None
    s.close()
    return data == b''


def stalled_reader():
    """A client that asks for the 64 MiB file and then reads no more: the
    server, its window closed, lets it go after the idle limit with most
    of a chunk unsent, and the slot's next connection must get none of it."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(CONNECT_TIMEOUT)
    s.connect(('127.0.0.1', PORT))
    s.sendall(b'GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n')
    s.recv(64)  # the response is under way
    return s


def drained(s):
    """Did the server cut s short (a reset, or its end before 64 MiB)?"""
    s.settimeout(TIMEOUT)
    got = 0
    try:
        for _ in range(100000):  # what the host buffered, then the end
            data = s.recv(1 << 20)
            if not data:
                break
            got += len(data)
    except (ConnectionError, socket.timeout):
        pass
    s.close()
    return got < 64 << 20


def server_errors(name):
    """A directory whose entry is corrupt on the disk (its first cluster
    beyond the volume, tests/web/run.sh): 500 for the file and for the
    directory's index, the connection closed, and the rest served on."""
    for target in ('/bad/broken.txt', '/bad/'):
        st, h, body, _ = request(target)
        check(name + '_500' + target.replace('/', '_').replace('.', '_'),
              st == 500 and b'500 Internal Server Error' in body and h.get('connection') == 'close',
              '%d %r' % (st, h))
    st, _, body, _ = request('/docs/about.txt')
    check(name + '_served_after', st == 200 and body == www('docs/about.txt'), '%d' % st)


def hostile(name):
    for seed in range(20):  # random bytes: an answer or a close, never a hang
        s = connect()
        rnd = hashlib.sha256(bytes([seed])).digest() * 40
        try:
            s.sendall(rnd + b'\r\n\r\n')
            s.settimeout(TIMEOUT)
            s.recv(4096)
        except (ConnectionError, socket.timeout):
            pass
        s.close()
    st, _, body, _ = request('/docs/about.txt')
    check(name + '_random_bytes_then_served', st == 200 and body == www('docs/about.txt'), '%d' % st)
    held = connect()  # a keep-alive connection from before the storm: the storm may not take it
    held.sendall(b'GET /docs/about.txt HTTP/1.1\r\nHost: x\r\n\r\n')
    first = read_response(held, b'')
    codes = storm(CONNECTIONS + 16)  # beyond the limit: 503 or served, then normal
    check(name + '_storm', all(c in (200, 503) for c in codes) and 200 in codes, '%r' % codes)
    try:
        held.sendall(b'GET /docs/about.txt HTTP/1.1\r\nHost: x\r\n\r\n')
        second = read_response(held, first[3])
    except (ConnectionError, TimeoutError) as e:
        second = (0, {}, repr(e).encode(), b'')
    held.close()
    check(name + '_storm_spared_a_connection', [first[0], second[0]] == [200, 200] and
          first[2] == second[2] == www('docs/about.txt'), '%d then %d %r' % (first[0], second[0], second[2][:60]))
    half = connect()  # a client that closes its sending side after the request
    half.sendall(b'GET /docs/about.txt HTTP/1.1\r\nHost: x\r\n\r\n')
    half.shutdown(socket.SHUT_WR)
    st, _, body, _ = read_response(half, b'')
    half.close()
    check(name + '_half_closed', st == 200 and body == www('docs/about.txt'), '%d' % st)
    start = time.time()
    stalled = stalled_reader()  # first, so that its slot is the lowest free one after
    silent = connect()  # connected, nothing sent: closed without a word
    kept = connect()  # a keep-alive request answered, then nothing: closed the same way
    kept.sendall(b'GET /docs/about.txt HTTP/1.1\r\nHost: x\r\n\r\n')
    st, _, body, _ = read_response(kept, b'')
    slow = connect()  # part of a head, then nothing: 408, within the idle limit
    slow.sendall(b'GET / HTTP/1.1\r\nHo')
    slow.settimeout(30)
    data = slow.recv(4096)
    slow.close()
    check(name + '_slow_client_408', data.startswith(b'HTTP/1.1 408') and time.time() - start < 25,
          '%r after %.0f s' % (data[:20], time.time() - start))
    idle = [closed_silently(silent), closed_silently(kept)]
    waited = time.time() - start
    check(name + '_idle_closed', st == 200 and body == www('docs/about.txt') and idle == [True, True] and
          6 < waited < 25, '%d, %r after %.0f s' % (st, idle, waited))
    time.sleep(max(0, start + 18 - time.time()))  # its window closed, then the idle limit (10-12 s)
    cut = drained(stalled)
    after = [request('/docs/about.txt') for _ in range(3)]  # on the stalled reader's slot
    check(name + '_stalled_reader_let_go', cut and all(st == 200 and body == www('docs/about.txt')
                                                      for st, _, body, _ in after),
          'cut %r; %r' % (cut, [(st, len(body)) for st, _, body, _ in after]))
    st, _, body, _ = request('/')
    check(name + '_served_after', st == 200 and body == www('index.html'), '%d' % st)


def listings(name):
    """A directory without index.html: its entries as links (hidden ones
    left out), a link back up; one too big for the slot says how many it
    leaves out."""
    st, h, body, _ = request('/list/')
    text = body.decode()
    check(name + '_page', st == 200 and h.get('content-type') == 'text/html; charset=utf-8' and
          '<title>Index of /list/</title>' in text and '<a href="../">../</a>' in text and
          '<li><a href="a%20b.txt">a b.txt</a> 7 bytes</li>' in text and
          '<a href="x%26y.html">x&amp;y.html</a>' in text and '<a href="sub/">sub/</a>' in text and
          'hidden' not in text and text.endswith('</ul>\n</body></html>\n'), '%d %r' % (st, text))
    link = re.search(r'href="(a%20b.txt)"', text)
    st, _, got, _ = request('/list/' + link.group(1))
    check(name + '_link_followed', st == 200 and got == b'spaced\n', '%d %r' % (st, got))
    st, h, body, _ = request('/list/', 'HEAD')
    check(name + '_head', st == 200 and body == b'' and int(h['content-length']) == len(text), '%d' % st)
    st, _, body, _ = request('/list/sub/')
    check(name + '_empty', st == 200 and b'<ul>\n<li><a href="../">../</a></li>\n</ul>' in body, '%d' % st)
    st, _, body, _ = request('/many/')
    text = body.decode()
    shown = len(re.findall(r'<li><a href="entry-', text))
    more = re.search(r'<p>(\d+) more not shown</p>', text)
    check(name + '_too_many', st == 200 and more and shown > 0 and shown + int(more.group(1)) == 300 and
          len(body) <= 32768, '%d: %d shown, %r' % (st, shown, more and more.group(0)))


STATUS_PDS = ['net_driver', 'net_virt_rx', 'net_virt_tx', 'copier', 'blk_driver', 'fs', 'timer']


def status_json():
    st, h, body, _ = request('/status.json')
    if st != 200 or h.get('content-type') != 'application/json':
        raise ValueError('/status.json: %d %r' % (st, h))
    return json.loads(body)


def status(name):
    """/status.json: valid JSON whose figures move as requests are made;
    /status: the page that shows the same."""
    before = status_json()
    request('/nothere.html')
    request('/docs/about.txt')
    after = status_json()
    pds = {p.get('name'): p for p in after['pds']}
    check(name + '_json_pds', [p.get('name') for p in after['pds']] == STATUS_PDS and
          all(p['answered'] for p in after['pds']), '%r' % after['pds'])
    check(name + '_json_counts', after['requests'] == sum(after['responses'].values()) and
          after['responses'].get('404', 0) == before['responses'].get('404', 0) + 1 and
          after['requests'] == before['requests'] + 3 and after['bytes_sent'] > before['bytes_sent'] and
          after['uptime_ms'] > before['uptime_ms'], '%r then %r' % (before, after))
    grew = [n for n in ('net_driver', 'net_virt_rx', 'copier', 'fs')
            if pds[n]['passed'] > [p for p in before['pds'] if p['name'] == n][0]['passed']]
    check(name + '_json_pds_move', len(grew) == 4, 'grew: %r' % grew)
    st, h, body, _ = request('/status')
    text = body.decode()
    shown = re.search(r'<span id="requests">(\d+)</span>', text)
    check(name + '_html', st == 200 and h.get('content-type') == 'text/html; charset=utf-8' and
          '<title>Pride status</title>' in text and 'http-equiv="refresh"' in text and
          shown and int(shown.group(1)) == after['requests'] + 1 and
          all('<td>%s</td>' % n in text for n in STATUS_PDS), '%d %r' % (st, text[:200]))
    st, h, body, _ = request('/status', 'HEAD')
    check(name + '_head', st == 200 and body == b'' and int(h.get('content-length', 0)) > 0, '%d' % st)


for fn in (files, statuses, server_errors, conditions, keep_alive, uploads, concurrent, huge_download,
           hostile, listings, status):
    test(fn.__name__, fn)

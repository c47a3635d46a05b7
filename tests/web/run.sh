#!/usr/bin/env bash
# The web server (examples/webserver) from the host: a disk made from the
# example's www/, random files of 1, 4 and 64 MiB, directories without an
# index.html (a few odd names; 300 long ones) and a directory whose one
# entry is corrupt on the disk (tests/web/corrupt_entry.py); the system
# booted with 127.0.0.1:PORT forwarded to its port 80, and
# tests/web/check.py's HTTP checks (files byte for byte, every status,
# ranges, conditional requests, keep-alive and pipelining, 32 connections
# at once, a 64 MiB download, 500 for the corrupt entry, idle connections
# closed, hostile clients), an upload with curl, then on the same boot
# tests/web/load.sh (10,000 keep-alive GETs over 32 connections with ab) and
# tests/web/browser.py (/ and /status in headless Chromium: screenshots not
# blank, the DOM's titles and request count). QEMU is killed by its PID.
set -u
source "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8
OUT=$BUILD/tests/web
mkdir -p "$OUT"
rm -rf "$OUT/www" && cp -r "$ROOT/examples/webserver/www" "$OUT/www" &&
    head -c 4194304 /dev/urandom >"$OUT/www/big.bin" && head -c 1048576 /dev/urandom >"$OUT/www/mid.bin" &&
    head -c 67108864 /dev/urandom >"$OUT/www/huge.bin" &&
    mkdir -p "$OUT/www/list/sub" "$OUT/www/many" && echo spaced >"$OUT/www/list/a b.txt" &&
    echo amp >"$OUT/www/list/x&y.html" && echo hidden >"$OUT/www/list/.hidden" &&
    for ((i = 0; i < 300; i++)); do : >"$OUT/www/many/$(printf 'entry-%03d-%0120d' $i 0)"; done &&
    mkdir -p "$OUT/www/bad" && echo lost >"$OUT/www/bad/broken.txt"
disk=$OUT/www.img
rm -f "$disk" && mkfs.fat -C -F 32 -s 1 "$disk" 131072 >/dev/null && mcopy -s -i "$disk" "$OUT/www"/* ::/ &&
    python3 "$ROOT/tests/web/corrupt_entry.py" "$disk" "BROKEN  TXT" ||
    fail web_disk "could not make $disk"
port=$(free_port STREAM)
log=$OUT/web.log
: >"$log"
qemu_guest -display none -monitor none -nic none \
    -serial "file:$log" -global virtio-mmio.force-legacy=false \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-10.0.2.15:80" -device virtio-net-device,netdev=n0 \
    -drive "file=$disk,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
    -kernel "$BUILD/examples/webserver/webserver.img" </dev/null >"$log.qemu" 2>&1 &
pid=$!
for ((i = 0; i < 200; i++)); do grep -q "serving http" "$log" && break; sleep 0.1; done
if grep -q "serving http" "$log"; then
    timeout 300 python3 "$ROOT/tests/web/check.py" "$port" "$OUT/www" || true
    # the way the README updates a site: curl -T, then the file served back
    up=$OUT/curl-upload.bin
    head -c 1500000 /dev/urandom >"$up"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 60 -T "$up" "http://127.0.0.1:$port/upload/curl.bin")
    if [ "$code" = 201 ] && curl -s --max-time 60 "http://127.0.0.1:$port/upload/curl.bin" | cmp -s - "$up"; then
        pass web_curl_put_then_get
    else
        fail web_curl_put_then_get "PUT answered $code, or the file came back different"
    fi
    bash "$ROOT/tests/web/load.sh" "$port" "$OUT/www"
    timeout 300 python3 "$ROOT/tests/web/browser.py" "$port" "$OUT/www" || true
    grep -qE "pride: fault|overflowed|corrupt" "$log" && fail web_no_fault "$(grep -m1 -E 'pride: fault|overflowed|corrupt' "$log")" ||
        pass web_no_fault
else
    fail web_boot "no 'serving http' in $log"
fi
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null

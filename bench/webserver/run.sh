#!/usr/bin/env bash
# Web server benchmark: bench/webserver (examples/webserver with an httpd
# that answers GET /pride-insns with the retired-instruction counter) on a
# FAT disk holding a 1 KiB and a 100 KiB file of random bytes, booted twice
# with 127.0.0.1:PORT forwarded to its port 80:
#  - under -icount shift=0, for guest instructions per keep-alive GET of each
#    file (measure.py insns: REQUESTS GETs one after another on one
#    connection, the idle cost and the counter query's own cost subtracted);
#  - without -icount, for wall requests per second (the guest's clock then
#    runs with the host's; under -icount the guest is slowed to however fast
#    QEMU retires instructions): wrk with CONNECTIONS keep-alive connections
#    on one thread for RATE_SECONDS per file, or measure.py rate without wrk.
# Prints name: number lines; each QEMU is killed by its PID.
set -u -o pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/tests/lib.sh"
REQUESTS=${REQUESTS:-1000}
CONNECTIONS=${CONNECTIONS:-32} # the server holds 32 connections at once
RATE_SECONDS=${RATE_SECONDS:-5}
WRK_TIMEOUT=${WRK_TIMEOUT:-10} # seconds a reply may take
out=$BUILD/bench
www=$out/webserver_www
disk=$out/webserver_disk.img
mkdir -p "$www"
head -c 1024 /dev/urandom >"$www/1k.bin" && head -c 102400 /dev/urandom >"$www/100k.bin" &&
    rm -f "$disk" && mkfs.fat -C -F 32 -s 1 "$disk" 65536 >/dev/null &&
    mcopy -i "$disk" "$www/1k.bin" "$www/100k.bin" ::/ || { echo "bench webserver: no disk"; exit 1; }
files=(1k="$www/1k.bin" 100k="$www/100k.bin")

qemu=""
# boot LOG [QEMU ARGS...]: boots the system on the disk, PORT forwarded;
# returns 0 once it serves (within 20 s), leaving its PID in qemu.
boot() {
    local log=$1 i
    shift
    port=$(free_port STREAM)
    : >"$log"
    qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -m 512M "$@" \
        -display none -monitor none -nic none -serial "file:$log" -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-10.0.2.15:80" -device virtio-net-device,netdev=n0 \
        -drive "file=$disk,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
        -kernel "$BUILD/bench/webserver/webserver.img" </dev/null >"$log.qemu" 2>&1 &
    qemu=$!
    for ((i = 0; i < 200; i++)); do
        grep -q "serving http" "$log" && return 0
        kill -0 "$qemu" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench webserver: no 'serving http' in $log"
    return 1
}

stop() {
    kill "$qemu" 2>/dev/null
    wait "$qemu" 2>/dev/null
    qemu=""
}

# wrk_rate NAME PATH: requests per second for GETs of /PATH's basename,
# and the 99th-percentile and worst latency, or non-zero if wrk saw errors
# or non-2xx answers. wrk's own 2 s limit would count a reply that waited
# for a retransmission timeout as an error, and leave it out of the rate:
# WRK_TIMEOUT is longer, so such replies count, and show in the latency.
wrk_rate() {
    local report
    report=$(timeout $((RATE_SECONDS + 30)) wrk -c "$CONNECTIONS" -t 1 -d "${RATE_SECONDS}s" \
        --timeout "${WRK_TIMEOUT}s" --latency "http://127.0.0.1:$port/$(basename "$2")") ||
        { echo "bench webserver: wrk failed"; return 1; }
    if grep -qE "Non-2xx|Socket errors" <<<"$report"; then
        echo "bench webserver: wrk: $(grep -E 'Non-2xx|Socket errors' <<<"$report" | tr '\n' ' ')"
        return 1
    fi
    awk -v n="$1" -f "$ROOT/bench/webserver/wrk_report.awk" <<<"$report"
}

trap stop EXIT
status=0
if boot "$out/webserver_icount.log" -icount shift=0; then
    timeout 120 python3 "$ROOT/bench/webserver/measure.py" insns "$port" "$REQUESTS" "${files[@]}" || status=1
else
    status=1
fi
stop
if boot "$out/webserver_wall.log"; then
    # One connection's GETs first, so wrk's connections find ARP resolved.
    timeout 30 python3 "$ROOT/bench/webserver/measure.py" rate "$port" 0.5 1 "${files[@]}" >/dev/null || status=1
    if command -v wrk >/dev/null; then
        for f in "${files[@]}"; do wrk_rate "${f%%=*}" "${f#*=}" || status=1; done
    else
        timeout $((2 * RATE_SECONDS + 60)) python3 "$ROOT/bench/webserver/measure.py" rate "$port" \
            "$RATE_SECONDS" "$CONNECTIONS" "${files[@]}" || status=1
    fi
else
    status=1
fi
stop
grep -qE "pride: fault|overflowed|corrupt" "$out"/webserver_{icount,wall}.log &&
    { echo "bench webserver: $(grep -hm1 -E 'pride: fault|overflowed|corrupt' "$out"/webserver_{icount,wall}.log)"; status=1; }
exit $status

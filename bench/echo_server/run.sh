#!/usr/bin/env bash
# Echo server benchmark: boots bench/echo_server under -icount with client0's
# UDP port forwarded, reports boot_to_ready_insns (the later of the two
# clients) and the per-packet cost measured by measure.py.
set -u -o pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/tests/lib.sh"
log=$BUILD/bench/echo_server.log
port=$(free_port DGRAM)
: >"$log"
qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -m 512M -icount shift=0 \
    -display none -monitor none -serial "file:$log" -global virtio-mmio.force-legacy=false \
    -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-10.0.2.15:1235" -device virtio-net-device,netdev=n0 \
    -kernel "$BUILD/bench/echo_server/echo_server.img" </dev/null >"$log.qemu" 2>&1 &
pid=$!
for ((i = 0; i < 400; i++)); do
    [ "$(grep -c 'boot_to_ready_insns' "$log")" -ge 2 ] && break
    sleep 0.05
done
status=0
grep -o 'boot_to_ready_insns [0-9]*' "$log" | sort -k2 -n | tail -n 1 | sed 's/ /: /' || status=1
timeout 300 python3 "$ROOT/bench/echo_server/measure.py" "$port" || status=1
kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
exit $status

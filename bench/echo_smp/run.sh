#!/usr/bin/env bash
# Echo server on one core and on two, side by side in one run: the same
# system (examples/echo_server) built with every PD on core 0
# (bench/echo_server) and as the example has it (clients on core 1), each
# booted without -icount (wall time is the measure here) with client0's
# UDP and TCP echo ports forwarded; throughput.py's UDP packets and TCP
# bytes per second of each, and the ratios, two cores to one. Each QEMU
# is killed by its PID.
set -u -o pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/tests/lib.sh"

# measure NAME IMAGE CORES: throughput.py's lines for IMAGE, as NAME_...
measure() {
    local name=$1 image=$2 cores=$3 log=$BUILD/bench/echo_$1.log udp tcp pid i
    udp=$(free_port DGRAM) tcp=$(free_port STREAM)
    : >"$log"
    qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -m 512M -smp "$cores" \
        -display none -monitor none -serial "file:$log" -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$udp-10.0.2.15:1235,hostfwd=tcp:127.0.0.1:$tcp-10.0.2.15:1236" \
        -device virtio-net-device,netdev=n0 -kernel "$image" </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    for ((i = 0; i < 400; i++)); do
        [ "$(grep -c 'boot_to_ready_insns' "$log")" -ge 2 ] && break
        sleep 0.05
    done
    timeout 300 python3 "$ROOT/bench/echo_smp/throughput.py" "$udp" "$tcp" | sed "s/^/echo_${name}_/"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

one=$(measure 1core "$BUILD/bench/echo_server/echo_server.img" 1)
two=$(measure 2core "$BUILD/bench/echo_smp/echo_smp.img" 2)
printf '%s\n%s\n' "$one" "$two" | sed 's/ /: /'
ratio() {
    local a b
    a=$(echo "$one" | awk -v k="echo_1core_$1" '$1 == k { print $2 }')
    b=$(echo "$two" | awk -v k="echo_2core_$1" '$1 == k { print $2 }')
    [ -n "$a" ] && [ -n "$b" ] && [ "$a" -gt 0 ] && echo "echo_$1_2core_per_1core_percent: $((b * 100 / a))"
}
ratio udp_pps
ratio tcp_kib_per_s

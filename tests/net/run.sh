#!/usr/bin/env bash
# Networking tests from the host, over QEMU's user network with UDP ports
# forwarded on 127.0.0.1 only.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/net
mkdir -p "$OUT"

free_udp_port() {
    python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# with_net_system NAME IMAGE READY GUEST_PORT CHECK...: boot IMAGE with a
# virtio-net device whose GUEST_PORT is forwarded from a free host port,
# wait for READY, run each CHECK (udp_echo.py mode), kill QEMU by its PID.
with_net_system() {
    local name=$1 image=$2 ready=$3 guest_port=$4
    shift 4
    local port log=$OUT/$name.log
    port=$(free_udp_port)
    : >"$log"
    qemu-system-aarch64 -machine virt -cpu cortex-a53 -m 512M -display none -monitor none \
        -serial "file:$log" -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-:$guest_port" \
        -device virtio-net-device,netdev=n0 -kernel "$image" </dev/null >"$log.qemu" 2>&1 &
    local pid=$!
    for ((i = 0; i < 200; i++)); do
        grep -q "$ready" "$log" && break
        sleep 0.05
    done
    if grep -q "$ready" "$log"; then
        local check
        for check in "$@"; do
            timeout 120 python3 "$ROOT/tests/net/udp_echo.py" "$port" "$check" ||
                fail "${name}_$check" "checker failed"
        done
    else
        fail "$name" "never printed '$ready' (see $log)"
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

with_net_system net_raw "$BUILD/tests/systems/net_raw/net_raw.img" "raw_echo: ready" 1235 sizes burst

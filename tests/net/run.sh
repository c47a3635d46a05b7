#!/usr/bin/env bash
# Networking tests from the host, over QEMU's user network with UDP ports
# forwarded on 127.0.0.1 only.
set -u -o pipefail # a checker that crashes must count as a failure
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/net
mkdir -p "$OUT"

free_port() { # free_port DGRAM|STREAM
    python3 -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_$1); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}

# with_net_system NAME IMAGE READY UDP_PORT TCP_PORT CHECK...: boot IMAGE
# with a virtio-net device whose guest UDP_PORT (and TCP_PORT, unless "-")
# are forwarded from free host ports, wait for READY, run each CHECK
# (echo_check.py mode; "tcp" goes to the TCP port), kill QEMU by its PID.
with_net_system() {
    local name=$1 image=$2 ready=$3 udp_guest=$4 tcp_guest=$5
    shift 5
    local udp_port tcp_port=- log=$OUT/$name.log
    udp_port=$(free_port DGRAM)
    local forward="hostfwd=udp:127.0.0.1:$udp_port-:$udp_guest"
    if [ "$tcp_guest" != - ]; then
        tcp_port=$(free_port STREAM)
        forward="$forward,hostfwd=tcp:127.0.0.1:$tcp_port-:$tcp_guest"
    fi
    : >"$log"
    qemu-system-aarch64 -machine virt -cpu cortex-a53 -m 512M -display none -monitor none \
        -serial "file:$log" -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,$forward" \
        -device virtio-net-device,netdev=n0 -kernel "$image" </dev/null >"$log.qemu" 2>&1 &
    local pid=$!
    for ((i = 0; i < 200; i++)); do
        grep -q "$ready" "$log" && break
        sleep 0.05
    done
    if grep -q "$ready" "$log"; then
        local check port
        for check in "$@"; do
            port=$udp_port
            [ "$check" = tcp ] && port=$tcp_port
            timeout 120 python3 "$ROOT/tests/net/echo_check.py" "$port" "$check" |
                sed "s/^\(PASS\|FAIL\): net_/\1: ${name}_/" ||
                fail "${name}_$check" "checker failed"
        done
    else
        fail "$name" "never printed '$ready' (see $log)"
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

with_net_system net_raw "$BUILD/tests/systems/net_raw/net_raw.img" "raw_echo: ready" 1235 - \
    sizes burst
with_net_system lwip "$BUILD/tests/systems/lwip_echo/lwip_echo.img" "echo: ready" 1235 1236 \
    sizes tcp burst

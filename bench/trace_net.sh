#!/usr/bin/env bash
# Single-steps the echo server's handling of one 64-byte UDP packet under gdb
# and prints where its instructions go, per PD and function: phase 1 from the
# driver's device interrupt until the system idles (receive, echo, transmit),
# then each further interrupt-driven chain (transmit completion).
# Usage: bench/trace_net.sh [payload-size]   (after make images; a minute or two)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/lib.sh"
SIZE=${1:-64}
GDB_PORT=$(free_port STREAM)
port=$(free_port DGRAM)
dir=$BUILD/bench/echo_server
qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -m 512M -icount shift=0 \
    -display none -monitor none -serial null -S -gdb "tcp:127.0.0.1:$GDB_PORT" \
    -global virtio-mmio.force-legacy=false \
    -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-10.0.2.15:1235" -device virtio-net-device,netdev=n0 \
    -kernel "$dir/echo_server.img" </dev/null &
qemu=$!
TRACE_MODE=net TRACE_NAME=udp_echo_$SIZE TRACE_PD=net_driver TRACE_REACH=notified TRACE_CHANNEL=0 \
    TRACE_SKIP=${TRACE_SKIP:-3} TRACE_SIZE=$SIZE TRACE_SEND_PORT=$port TRACE_PHASES=${TRACE_PHASES:-2} TRACE_PORT=$GDB_PORT \
    TRACE_SYSTEM=$ROOT/examples/echo_server/echo_server.system TRACE_ELF_DIR=$dir:$BUILD/drivers/net/virtio:$BUILD/components/net:$BUILD/drivers/timer/arm_generic \
    TRACE_KERNEL=$BUILD/kernel/benchmark/kernel.elf \
    timeout 300 gdb-multiarch -q -batch -x "$ROOT/bench/trace.py" "$BUILD/kernel/benchmark/kernel.elf" 2>&1 |
    grep -E '^(trace |  )'
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null

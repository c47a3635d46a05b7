#!/usr/bin/env bash
# Single-steps one iteration of each IPC benchmark under gdb and prints where
# its instructions go (kernel functions, and each PD's functions).
# Usage: bench/trace.sh [scenario...]   (after make images; a minute or two)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
PORT=${TRACE_PORT:-1234}
# name | client function that starts the phase | condition at kernel_syscall
# marking one iteration of the client's loop
scenarios=(
    "ppc_roundtrip|measure_ppc|\$x3 == 2 && \$x0 == 1"
    "ppc_passive_roundtrip|measure_ppc|\$x3 == 2 && \$x0 == 2"
    "notify_wakeup|measure_wakeup|\$x3 == 0 && \$x0 == 3"
    "notify_pingpong|start_pingpong|\$x3 == 0 && \$x0 == 4 && (\$TTBR0_EL1 >> 48) == 1"
)
for s in "${scenarios[@]}"; do
    [ $# -eq 0 ] || [[ " $* " == *" ${s%%|*} "* ]] || continue
    qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -m 512M -nic none \
        -display none -monitor none -serial null -S -gdb "tcp:127.0.0.1:$PORT" \
        -kernel "$BUILD/bench/ipc/ipc.img" </dev/null &
    qemu=$!
    IFS='|' read -r name reach cond <<<"$s"
    TRACE_NAME=$name TRACE_PD=client TRACE_REACH=$reach TRACE_COND=$cond TRACE_PORT=$PORT TRACE_SYSTEM=$ROOT/bench/ipc/ipc.system \
        TRACE_ELF_DIR=$BUILD/bench/ipc TRACE_KERNEL=$BUILD/kernel/benchmark/kernel.elf \
        timeout 300 gdb-multiarch -q -batch -x "$ROOT/bench/trace.py" "$BUILD/kernel/benchmark/kernel.elf" 2>&1 |
        grep -E '^(trace |  )'
    kill "$qemu" 2>/dev/null
    wait "$qemu" 2>/dev/null
done

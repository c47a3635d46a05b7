#!/usr/bin/env bash
# Single-steps the web server's handling of keep-alive GETs of a 1 KiB file
# under gdb and prints where their instructions go, per PD and function:
# every event chain from the first traced GET until a second after the
# last reply, divided by the number of GETs; chains started by the timer
# (lwIP's 50 ms tick, the idle cost) are shown apart.
# Usage: bench/trace_web.sh [GETs] [path]   (after make all; a few minutes)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/lib.sh"
COUNT=${1:-3}
URL_PATH=${2:-/1k.bin}
GDB_PORT=$(free_port STREAM)
port=$(free_port STREAM)
dir=$BUILD/bench/webserver
out=$BUILD/bench
disk=$out/webserver_trace_disk.img
mkdir -p "$out/webserver_www"
head -c 1024 /dev/urandom >"$out/webserver_www/1k.bin" &&
    head -c 102400 /dev/urandom >"$out/webserver_www/100k.bin" &&
    rm -f "$disk" && mkfs.fat -C -F 32 -s 1 "$disk" 65536 >/dev/null &&
    mcopy -i "$disk" "$out/webserver_www/1k.bin" "$out/webserver_www/100k.bin" ::/ ||
    { echo "trace_web: no disk"; exit 1; }
qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -m 512M -icount shift=0 \
    -display none -monitor none -serial "file:$out/webserver_trace.log" -S -gdb "tcp:127.0.0.1:$GDB_PORT" \
    -nic none -global virtio-mmio.force-legacy=false \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$port-10.0.2.15:80" -device virtio-net-device,netdev=n0 \
    -drive "file=$disk,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
    -kernel "$dir/webserver.img" </dev/null 2>"$out/webserver_trace.log.qemu" &
qemu=$!
elf_dirs=$dir:$BUILD/drivers/net/virtio:$BUILD/components/net:$BUILD/drivers/timer/arm_generic
elf_dirs=$elf_dirs:$BUILD/drivers/blk/virtio:$BUILD/drivers/rtc/pl031:$BUILD/components/fs
TRACE_MODE=web TRACE_CLIENT=$ROOT/bench/web_client.py TRACE_NAME=web_get_${URL_PATH#/} TRACE_PATH=$URL_PATH TRACE_COUNT=$COUNT \
    TRACE_WARM=${TRACE_WARM:-5} TRACE_HTTP_PORT=$port TRACE_PORT=$GDB_PORT \
    TRACE_SYSTEM=$ROOT/examples/webserver/webserver.system TRACE_ELF_DIR=$elf_dirs \
    TRACE_KERNEL=$BUILD/kernel/benchmark/kernel.elf \
    timeout "${TRACE_TIMEOUT:-900}" gdb-multiarch -q -batch -x "$ROOT/bench/trace.py" \
    "$BUILD/kernel/benchmark/kernel.elf" 2>&1 | grep -E "${TRACE_GREP:-^(trace |  )}"
kill "$qemu" 2>/dev/null
wait "$qemu" 2>/dev/null

#!/usr/bin/env bash
# Block benchmark: boots bench/blk on a 16 MiB image twice, once under
# -icount (deterministic instruction counts per KiB) and once without it
# (the guest's clock then runs with the host's, for KiB/s); prints the
# instruction figures of the first run and the rates of the second.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/tests/lib.sh"
OUT=$BUILD/bench
disk=$OUT/blk_disk.img
mkdir -p "$OUT"
status=0
run() { # run LOG QEMU-ARGS...: the benchmark to its end
    local log=$1
    shift
    rm -f "$disk" && truncate -s 16M "$disk"
    QEMU_MACHINE=virt,virtualization=on boot_system "$BUILD/bench/blk/blk.img" "$log" 120 \
        "^bench: (done|errors)" -global virtio-mmio.force-legacy=false \
        -drive "file=$disk,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 "$@" &&
        grep -q '^bench: done' "$log"
}
if run "$OUT/blk_icount.log" -icount shift=0 && run "$OUT/blk_wall.log"; then
    grep -E '^blk_[a-z0-9_]+_insns_per_kib: [0-9]+$' "$OUT/blk_icount.log"
    grep -E '^blk_[a-z0-9_]+_kib_per_s: [0-9]+$' "$OUT/blk_wall.log"
else
    echo "bench blk: did not finish (see $OUT/blk_icount.log, $OUT/blk_wall.log)"
    status=1
fi
rm -f "$disk"
exit $status

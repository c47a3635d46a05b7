# Shared by the disk benchmarks (bench/blk, bench/fs; sourced, not run).
# disk_bench NAME MAKE-DISK: boots bench/NAME twice on a disk image made
# afresh by the function MAKE-DISK (given the image's path), once under
# -icount (deterministic instruction counts per KiB) and once without it
# (the guest's clock then runs with the host's, for KiB/s); prints the
# instruction figures of the first run and the rates of the second, and
# returns non-zero if either run did not finish.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/tests/lib.sh"

disk_bench() {
    local name=$1 make_disk=$2 out=$BUILD/bench
    local disk=$out/${name}_disk.img status=0
    mkdir -p "$out"
    disk_bench_run() { # LOG QEMU-ARGS...: the benchmark to its end
        local log=$1
        shift
        "$make_disk" "$disk" &&
            QEMU_MACHINE=virt,virtualization=on boot_system "$BUILD/bench/$name/$name.img" "$log" 300 \
                "^bench: (done|errors)" -global virtio-mmio.force-legacy=false \
                -drive "file=$disk,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 "$@" &&
            grep -q '^bench: done' "$log"
    }
    if disk_bench_run "$out/${name}_icount.log" -icount shift=0 && disk_bench_run "$out/${name}_wall.log"; then
        grep -E "^${name}_[a-z0-9_]+_insns(_per_kib)?: [0-9]+\$" "$out/${name}_icount.log"
        grep -E "^${name}_[a-z0-9_]+_kib_per_s: [0-9]+\$" "$out/${name}_wall.log"
    else
        echo "bench $name: did not finish (see $out/${name}_icount.log, $out/${name}_wall.log)"
        status=1
    fi
    rm -f "$disk"
    return $status
}

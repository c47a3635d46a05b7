#!/usr/bin/env bash
# Boots each benchmark system under QEMU with -icount (the PMU cycle
# counter then counts guest instructions, deterministically) and prints its
# figures next to the host wall time of the run.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/tests/lib.sh"
OUT=$BUILD/bench
mkdir -p "$OUT"
status=0
for dir in "$ROOT"/bench/*/; do
    name=$(basename "$dir")
    if [ -x "$dir/run.sh" ]; then # a benchmark that drives the guest itself
        start=$(date +%s.%N)
        bash "$dir/run.sh" || status=1
        awk -v n="$name" -v s="$start" -v e="$(date +%s.%N)" \
            'BEGIN { printf "%s_wall_seconds: %.2f\n", n, e - s }'
        continue
    fi
    image=$BUILD/bench/$name/$name.img
    [ -f "$image" ] || continue
    log=$OUT/$name.log
    start=$(date +%s.%N)
    if QEMU_MACHINE=virt,virtualization=on boot_system "$image" "$log" 300 "^bench: done" \
        -icount shift=0; then
        grep -E '^[a-z0-9_]+: [0-9]+$' "$log"
        awk -v n="$name" -v s="$start" -v e="$(date +%s.%N)" \
            'BEGIN { printf "%s_wall_seconds: %.2f\n", n, e - s }'
    else
        echo "bench $name: did not finish (see $log)"
        status=1
    fi
done
exit $status

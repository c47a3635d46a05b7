#!/usr/bin/env bash
# Cross-core notification round trip (ping on core 0, pong on core 1, one
# notification each way per round): the instructions retired per round
# trip, both cores' PDs and kernel together (under -icount QEMU's
# instruction count is the machine's, not a core's); and round trips per second of
# wall time with the cores in parallel (one host thread each) and in
# round-robin (one host thread for both), without -icount. Each QEMU is
# killed by its PID.
set -u -o pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/tests/lib.sh"
image=$BUILD/bench/xcore_pingpong/xcore_pingpong.img
log=$BUILD/bench/xcore_pingpong.log
status=0
QEMU_MACHINE=virt,virtualization=on boot_system "$image" "$log" 300 "^xcore_notify_round_trip_insns: " -smp 2 -icount shift=0 &&
    grep -hE "^xcore_notify_round_trip_insns: [0-9]+$" "$log" || status=1
for mode in parallel round_robin; do
    accel=()
    [ $mode = round_robin ] && accel=(-accel tcg,thread=single)
    if boot_system "$image" "$log" 300 "^ping: rounds" -smp 2 "${accel[@]}"; then
        echo "xcore_notify_round_trips_per_s_$mode: $(grep -m1 '^ping: rounds' "$log" | awk '{ print $NF }')"
    else
        status=1
    fi
done
exit $status

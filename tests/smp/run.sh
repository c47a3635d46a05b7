#!/usr/bin/env bash
# Multicore (docs/kernel.md, "Multicore"): the cross-core systems under
# tests/systems/xcore_* booted on 2 and 4 cores, with what they printed
# checked; `pride cores`, which make run's -smp comes from; and the boot,
# kernel, serial, timer, storage and network tests again on machines of 2
# and 4 cores.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/smp
mkdir -p "$OUT"
sys() { echo "$BUILD/tests/systems/$1/$1.img"; }

# A million notification round trips between core 0 and core 1, every
# answer checked by ping and the checksum recomputed here. Round-robin TCG
# (one host thread for all cores, switching at every WFI): an idle core's
# wakeup then costs no host thread wakeup, so the million rounds take
# seconds, not minutes; the ring test below runs the cores in parallel.
test_pingpong() {
    local log=$OUT/pingpong.log want got
    if ! boot_system "$(sys xcore_pingpong)" "$log" 240 "^ping: rounds" -smp 2 -accel tcg,thread=single; then
        fail smp_pingpong_finished "no 'ping: rounds' line in 240 s (a lost wakeup stops it; see $log)"
        return
    fi
    want=$(python3 - <<'EOF'
M = (1 << 64) - 1
checksum = 0
for r in range(1, 1000001):
    answer = ((r * 0x9e3779b97f4a7c15) & M) ^ (r >> 7)
    checksum = (((checksum ^ answer) * 31) + r) & M
print('ping: rounds 1000000 wrong 0 checksum 0x%016x' % checksum)
EOF
)
    got=$(grep -m1 "^ping: rounds" "$log")
    [ "${got% rounds_per_s *}" = "$want" ] && pass smp_pingpong_million_rounds ||
        fail smp_pingpong_million_rounds "got '$got', want '$want ...'"
    expect_contains smp_pingpong_pong_answered_all "$log" "pong: answered every round"
    echo "smp_pingpong: ${got##* rounds_per_s } round trips per second of guest time"
}

# Ten million sequence numbers through one ring from core 0 to core 1,
# the cores running in parallel (one host thread each).
test_ring_stream() {
    local n=$1 log=$OUT/ring_$1.log want="consumer: received 10000000 out_of_order 0 sum 50000005000000"
    if ! boot_system "$(sys xcore_ring)" "$log" 240 "^consumer: received" -smp "$n"; then
        fail smp_ring_stream_$n "no 'consumer: received' line in 240 s (see $log)"
        return
    fi
    local got
    got=$(grep -m1 "^consumer: received" "$log")
    [ "${got% items_per_s *}" = "$want" ] && pass smp_ring_stream_$n ||
        fail smp_ring_stream_$n "got '$got', want '$want ...'"
    echo "smp_ring_stream_$n: ${got##* items_per_s } items per second"
}

# Calls, faults, restarts and stops across cores.
test_control() {
    local machine=$1 n=$2 tag log
    tag=${n}_${machine//[,=]/_}
    log=$OUT/control_$tag.log
    QEMU_MACHINE=$machine boot_system "$(sys xcore_control)" "$log" 60 \
        "^parent: crasher faulted, times: 3" -smp "$n"
    expect_contains smp_control_${tag}_calls "$log" "parent: calls across cores answered wrongly: 0"
    expect_contains smp_control_${tag}_spinning "$log" "parent: spinner spinning on core 1: 1"
    expect_contains smp_control_${tag}_restart "$log" \
        "parent: spinner starts after a restart while it spun: 2"
    expect_contains smp_control_${tag}_stop "$log" "parent: spinner still counting after its stop: 0"
    expect_contains smp_control_${tag}_faults "$log" "parent: crasher faulted, times: 3"
    grep -q "pride: fault:" "$log" && fail smp_control_${tag}_no_monitor_report "$(grep -m1 'pride: fault:' "$log")" ||
        pass smp_control_${tag}_no_monitor_report
}

# A system on more cores than QEMU started stops at boot, saying so.
test_too_few_cores() {
    local log=$OUT/too_few.log
    boot_system "$(sys xcore_control)" "$log" 10 "kernel panic" -smp 1
    expect_contains smp_too_few_cores "$log" \
        "pride: a protection domain is on core 1, but 1 cores started"
}

test_cores_command() {
    local got
    got=$("$BUILD/bin/pride" cores "$ROOT/tests/systems/xcore_control/xcore_control.system")
    [ "$got" = 2 ] && pass smp_pride_cores_two || fail smp_pride_cores_two "printed '$got'"
    got=$("$BUILD/bin/pride" cores "$ROOT/tests/systems/lifecycle/lifecycle.system")
    [ "$got" = 1 ] && pass smp_pride_cores_one || fail smp_pride_cores_one "printed '$got'"
}

# pin_guest PID: QEMU PID's thread of core 1 onto host CPU 1, all its
# other threads onto host CPU 0.
pin_guest() {
    local task
    for task in /proc/"$1"/task/*; do
        if [ "$(cat "$task/comm")" = "CPU 1/TCG" ]; then
            taskset -pc 1 "${task##*/}" >/dev/null
        else
            taskset -pc 0 "${task##*/}" >/dev/null
        fi
    done
}

# A PD spinning on core 1 must not slow an echo on core 0 by more than 5%:
# the lwIP echo (driver, timer driver and client, all on core 0) timed
# from the host while the spinner spins and again once it has stopped, in
# one boot. Each emulated core runs on a host thread of its own; to leave
# the host out of the comparison, core 1's thread is pinned to host CPU 1,
# and core 0's, QEMU's other threads and the client to host CPU 0, in both
# measurements. What is left is what Pride makes the cores share: the
# kernel lock, SGIs, timers.
test_noisy_neighbour() {
    local log=$OUT/noisy.log port pid i noisy quiet
    if [ "$(nproc)" -lt 2 ]; then
        fail smp_noisy_neighbour "needs two host CPUs, this host has $(nproc)"
        return
    fi
    port=$(free_port DGRAM)
    : >"$log"
    qemu_guest -name noisy,debug-threads=on -display none -monitor none -serial "file:$log" \
        -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-10.0.2.15:1235" -device virtio-net-device,netdev=n0 \
        -kernel "$(sys xcore_noisy)" </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    for ((i = 0; i < 200; i++)); do grep -q "echo: ready" "$log" && break; sleep 0.05; done
    pin_guest "$pid"
    noisy=$(taskset -c 0 timeout 60 python3 "$ROOT/tests/smp/echo_rate.py" "$port" 2000)
    if grep -q "spinner: done" "$log" || ! grep -q "spinner: spinning" "$log"; then
        fail smp_noisy_neighbour "the spinner was not spinning throughout the first measurement (see $log)"
    else
        for ((i = 0; i < 1200; i++)); do grep -q "spinner: done" "$log" && break; sleep 0.05; done
        quiet=$(taskset -c 0 timeout 60 python3 "$ROOT/tests/smp/echo_rate.py" "$port" 2000)
        noisy=${noisy#us_per_echo } quiet=${quiet#us_per_echo }
        echo "smp_noisy_neighbour: $noisy us per echo on core 0 with core 1 spinning, $quiet us without"
        [ -n "$noisy" ] && [ -n "$quiet" ] && [ "$quiet" -gt 0 ] && [ $((noisy * 100)) -le $((quiet * 105)) ] &&
            pass smp_noisy_neighbour || fail smp_noisy_neighbour "echo took $noisy us with the spinner, $quiet without"
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# rerun CORES SCRIPT...: tests/SCRIPT/run.sh again with QEMU_SMP=CORES (a
# system that uses more cores still gets them), its tests named smpCORES_*.
rerun() {
    local cores=$1 script
    shift
    for script in "$@"; do
        QEMU_SMP=$cores bash "$ROOT/tests/$script/run.sh" 2>&1 | sed -E "s/^(PASS|FAIL): /\1: smp${cores}_/"
    done
}

test_pingpong
test_noisy_neighbour
test_ring_stream 2
test_ring_stream 4
for machine in virt virt,virtualization=on; do
    test_control "$machine" 2
done
test_control virt 4
test_too_few_cores
test_cores_command
# The single-core systems there run with the other cores parked. The file
# system's power-cut and stress tests (tests/fs, about 3.5 minutes) run on
# 4 cores only.
rerun 2 boot kernel serial rtc stats blk fileio net
rerun 4 boot kernel serial rtc stats blk fileio net fs

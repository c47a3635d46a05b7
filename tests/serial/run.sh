#!/usr/bin/env bash
# Serial subsystem: typed input, echo and focus switching driven through
# QEMU's serial port, and a hostile client that cannot disturb the others.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/serial
mkdir -p "$OUT"

# interact NAME IMAGE STEP...: boot IMAGE with its console on a socket and
# run the steps of session.py against it; QEMU is killed by its PID after.
interact() {
    local name=$1 image=$2
    shift 2
    local sock=$OUT/$name.sock
    rm -f "$sock"
    qemu_guest -nic none -display none \
        -monitor none -chardev "socket,id=console,path=$sock,server=on,wait=on" \
        -serial chardev:console -kernel "$image" </dev/null >"$OUT/$name.qemu" 2>&1 &
    local pid=$!
    local why
    why=$(timeout 60 python3 "$ROOT/tests/serial/session.py" "$sock" "$OUT/$name.log" "$@")
    local status=$?
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ $status -eq 0 ] && pass "$name" || fail "$name" "${why:-session failed} (see $OUT/$name.log)"
}

IMG=$BUILD/examples/serial/serial.img
interact serial_input_reaches_client0 "$IMG" \
    "expect:[client0] ready" \
    "send:hello\\r" "expect:[client0] you typed: hello"
interact serial_focus_switch "$IMG" \
    "expect:[client1] ready" \
    "send:one\\r" "expect:[client0] you typed: one" \
    "send:\\x1d2two\\r" "expect:[client1] you typed: two" \
    "send:\\x1d1three\\r" "expect:[client0] you typed: three"
interact serial_escape_passes_other_keys "$IMG" \
    "expect:[client1] ready" \
    "send:a\\x1dxb\\r" "expect:[client0] you typed: a\\x1dxb"
# After typed input, the statistics PD (asked by a client) reports every
# serial PD with bytes passed and no bad index.
interact serial_stats_asked "$IMG" \
    "expect:[client1] ready" \
    "send:hello\\r" "expect:[client0] you typed: hello" \
    "send:pride-stats?\\r" "expect:stats: serial_virt_rx " "expect:\\n"
expect_stats_clean serial_after_input "$OUT/serial_stats_asked.log" \
    uart_driver serial_virt_tx serial_virt_rx
# The release configuration: the serial subsystem works, and the kernel
# prints nothing of its own (no banner, no debug console).
interact serial_release_config_echoes "$BUILD/examples/serial/serial-release.img" \
    "expect:[client0] ready" \
    "send:hello\\r" "expect:[client0] you typed: hello"
log=$OUT/serial_release_config_echoes.log
[ -s "$log" ] && ! grep -q 'pride:' "$log" && pass serial_release_config_silent_kernel ||
    fail serial_release_config_silent_kernel "kernel output in the release configuration ($log)"

# Lines from the two clients never mix: each greeting arrived whole.
log=$OUT/serial_focus_switch.log
[ "$(grep -c '^\[client[01]\] ready: type a line (Ctrl-\] 1 or 2 switches client)' "$log")" -eq 2 ] &&
    pass serial_lines_whole || fail serial_lines_whole "greetings garbled in $log"

# The hostile client floods and corrupts its queue indices; the good client's
# 200 lines must all arrive intact, in order, and nothing may stall. The TX
# virtualiser must have counted the bad indices, and the driver, on the
# good client's way out, seen none.
test_hostile_neighbour() {
    local log=$OUT/serial_hostile.log
    if ! BOOT_LINGER=1 boot_system "$BUILD/tests/systems/serial_hostile/serial_hostile.img" \
        "$log" 60 "^good: done"; then
        fail serial_hostile_good_client_finishes "no 'good: done' (see $log)"
        return
    fi
    pass serial_hostile_good_client_finishes
    if python3 - "$log" <<'PY'
import re, sys
lines = [l for l in open(sys.argv[1], errors="replace").read().split("\n") if l.startswith("good ")]
want = ["good %04u %s" % (n, "".join(chr(97 + (n * 7 + i * 3) % 26) for i in range(40)))
        for n in range(200)]
sys.exit(0 if lines == want else 1)
PY
    then pass serial_hostile_lines_intact_in_order
    else fail serial_hostile_lines_intact_in_order "good lines missing, garbled or out of order"
    fi
    expect_contains serial_hostile_nothing_dropped "$log" "good: done, 0 bytes dropped"
    expect_stat serial_hostile_bad_indices_counted "$log" serial_virt_tx bad_idx -gt 0
    expect_stats_clean serial_hostile_good_path "$log" uart_driver
    # Still serving after the good client finished: the flood kept flowing.
    local done_line last_flood
    done_line=$(line_of "$log" "good: done")
    last_flood=$(grep -n '^flood' "$log" | tail -n 1 | cut -d: -f1)
    [ "${last_flood:-0}" -gt "$done_line" ] && pass serial_hostile_no_stall ||
        fail serial_hostile_no_stall "no output after the good client finished"
}
test_hostile_neighbour

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
    qemu-system-aarch64 -machine virt -cpu cortex-a53 -m 512M -nic none -display none \
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
    "expect:[client0] ready" "expect:[client1] ready" \
    "send:hello\\r" "expect:[client0] you typed: hello"
interact serial_focus_switch "$IMG" \
    "expect:[client1] ready" \
    "send:one\\r" "expect:[client0] you typed: one" \
    "send:\\x1d2two\\r" "expect:[client1] you typed: two" \
    "send:\\x1d1three\\r" "expect:[client0] you typed: three"
interact serial_escape_passes_other_keys "$IMG" \
    "expect:[client1] ready" \
    "send:a\\x1dxb\\r" "expect:[client0] you typed: a\\x1dxb"
# Lines from the two clients never mix: each greeting arrived whole.
log=$OUT/serial_focus_switch.log
[ "$(grep -c '^\[client[01]\] ready: type a line (Ctrl-\] 1 or 2 switches client)' "$log")" -eq 2 ] &&
    pass serial_lines_whole || fail serial_lines_whole "greetings garbled in $log"

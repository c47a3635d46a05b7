#!/usr/bin/env bash
# Networking tests from the host, over QEMU's user network with UDP ports
# forwarded on 127.0.0.1 only.
set -u -o pipefail # a checker that crashes must count as a failure
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/net
mkdir -p "$OUT"

# no_device_error NAME QEMU_LOG: QEMU reports a device the guest broke (a
# virtio error, such as a zero-sized buffer) on its stderr.
no_device_error() {
    if grep -qi 'virtio' "$2"; then
        fail "${1}_no_device_error" "$(grep -i -m 1 'virtio' "$2")"
    else
        pass "${1}_no_device_error"
    fi
}

# with_net_system NAME IMAGE READY UDP_PORT TCP_PORT CHECK...: boot IMAGE
# with a virtio-net device whose guest UDP_PORT (and TCP_PORT, unless "-")
# are forwarded from free host ports, wait for READY, run each CHECK
# (echo_check.py mode; "tcp" goes to the TCP port), kill QEMU by its PID.
with_net_system() {
    local name=$1 image=$2 ready=$3 udp_guest=$4 tcp_guest=$5
    shift 5
    local udp_port tcp_port=- log=$OUT/$name.log
    udp_port=$(free_port DGRAM)
    local forward="hostfwd=udp:127.0.0.1:$udp_port-:$udp_guest"
    if [ "$tcp_guest" != - ]; then
        tcp_port=$(free_port STREAM)
        forward="$forward,hostfwd=tcp:127.0.0.1:$tcp_port-:$tcp_guest"
    fi
    : >"$log"
    qemu_guest -display none -monitor none \
        -serial "file:$log" -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,$forward" \
        -device virtio-net-device,netdev=n0 -kernel "$image" </dev/null >"$log.qemu" 2>&1 &
    local pid=$!
    for ((i = 0; i < 200; i++)); do
        grep -q "$ready" "$log" && break
        sleep 0.05
    done
    if grep -q "$ready" "$log"; then
        local check port
        for check in "$@"; do
            port=$udp_port
            [ "$check" = tcp ] && port=$tcp_port
            timeout 120 python3 "$ROOT/tests/net/echo_check.py" "$port" "$check" |
                sed "s/^\(PASS\|FAIL\): net_/\1: ${name}_/" ||
                fail "${name}_$check" "checker failed"
            # the report is printed after the answer: let it finish first
            [ "$check" = buffers ] && wait_report "$log"
        done
    else
        fail "$name" "never printed '$ready' (see $log)"
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    no_device_error "$name" "$log.qemu"
}

with_net_system net_raw "$BUILD/tests/systems/net_raw/net_raw.img" "raw_echo: ready" 1235 - \
    sizes burst
with_net_system lwip "$BUILD/tests/systems/lwip_echo/lwip_echo.img" "echo: ready" 1235 1236 \
    sizes tcp burst
# The same client with its address from QEMU's DHCP server (the first
# lease is 10.0.2.15, where the ports are forwarded).
with_net_system lwip_dhcp "$BUILD/tests/systems/lwip_dhcp/lwip_dhcp.img" \
    "echo: ready at 10.0.2.15 (dhcp)" 1235 1236 sizes tcp

# wait_report LOG: until the accounting PD has finished a report in LOG.
wait_report() {
    local i
    for ((i = 0; i < 200; i++)); do grep -q 'net: buffers in all:' "$1" && break; sleep 0.05; done
}

# pool_whole NAME LOG POOL: in the last report, every buffer of POOL (as the
# accounting PD names it) is held exactly once.
pool_whole() {
    local line
    line=$(grep -F "net: buffers: $3:" "$2" | tail -n 1)
    if [[ $line =~ :\ ([0-9]+)\ of\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
        pass "$1"
    else
        fail "$1" "'${line:-no line for $3}'"
    fi
}

# A hostile client keeps publishing descriptors that no hop may pass on
# (zero length first) and impossible queue indices, and makes the timer
# requests it does not know: the good client keeps echoing, the device
# never sees a bad descriptor, nothing faults. Asked afterwards, the
# accounting finds the shared buffers and the good client's whole, whatever
# the hostile one claims; the TX virtualiser counted the bad descriptors
# and indices, the driver the buffer handed over twice (only it knows what
# the device holds), the timer the bad requests, and the good client's
# receive path (RX virtualiser, its copier, itself) saw nothing bad.
test_hostile_client() {
    local log=$OUT/net_hostile.log pool
    with_net_system net_hostile "$BUILD/tests/systems/net_hostile/net_hostile.img" "client0: ready" \
        1235 1236 sizes tcp buffers
    expect_contains net_hostile_attacked "$log" "bad descriptors published"
    grep -E 'net: |stats: ' "$log" | sed 's/^/    /'
    for pool in rx_dma "client_rx of client0" "tx of client0" "lent to the copier of client0"; do
        pool_whole "net_hostile_whole_${pool// /_}" "$log" "$pool"
    done
    expect_stat net_hostile_bad_descriptors_counted "$log" net_virt_tx bad_desc -gt 0
    expect_stat net_hostile_bad_indices_counted "$log" net_virt_tx bad_idx -gt 0
    expect_stat net_hostile_buffer_twice_counted "$log" net_driver bad_desc -gt 0
    expect_stat net_hostile_bad_requests_counted "$log" timer bad_desc -gt 0
    expect_stats_clean net_hostile_good_path "$log" net_virt_rx copier0 client0
    grep -q 'pride: fault:' "$log" && fail net_hostile_no_fault "$(grep 'pride: fault:' "$log")" ||
        pass net_hostile_no_fault
}
test_hostile_client

# Serial console, timer and networking in one system (examples/console_net):
# the console echoes a typed line while, in the same boot, client0 echoes
# every UDP size from the host. Both classes' virtualisers run side by side.
test_console_net() {
    local sock=$OUT/console_net.sock log=$OUT/console_net.log port pid why
    port=$(free_port DGRAM)
    rm -f "$sock"
    qemu_guest -display none -monitor none \
        -chardev "socket,id=console,path=$sock,server=on,wait=on" -serial chardev:console \
        -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,hostfwd=udp:127.0.0.1:$port-10.0.2.15:1235" \
        -device virtio-net-device,netdev=n0 \
        -kernel "$BUILD/examples/console_net/console_net.img" </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    why=$(timeout 60 python3 "$ROOT/tests/serial/session.py" "$sock" "$log" \
        "expect:client0: ready at 10.0.2.15" "send:hello\\r" "expect:[console0] you typed: hello")
    [ $? -eq 0 ] && pass console_net_console_echoes || fail console_net_console_echoes "${why:-?} (see $log)"
    timeout 120 python3 "$ROOT/tests/net/echo_check.py" "$port" sizes |
        sed "s/^\(PASS\|FAIL\): net_/\1: console_net_/" || fail console_net_sizes "checker failed"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    grep -q 'pride: fault:' "$log" && fail console_net_no_fault "$(grep 'pride: fault:' "$log")" ||
        pass console_net_no_fault
    # Flags are per program: only the lwIP clients were compiled for picolibc
    # (whose flags include -ftls-model, which gcc records in the debug info).
    local dir=$BUILD/examples/console_net prog libc_units
    for prog in console echo net_copier; do
        libc_units=$(aarch64-linux-gnu-readelf --debug-dump=info "$dir/$prog.elf" 2>/dev/null |
            grep DW_AT_producer | grep -c 'ftls-model')
        local want_libc=0
        [ "$prog" = echo ] && want_libc=1
        if [ $((libc_units > 0)) -eq "$want_libc" ]; then
            pass "console_net_flags_of_$prog"
        else
            fail "console_net_flags_of_$prog" "$libc_units units compiled with picolibc's flags"
        fi
    done
}
test_console_net

# malformed_frames NAME IMAGE GUEST_MAC ECHO [PING_ADDRESS...]: boot IMAGE
# on a TAP device in a private network namespace (deleted afterwards), ping
# each PING_ADDRESS, send malformed frames, check that every echo service in
# ECHO (ADDRESS:PORT words for malformed.py; with --buffers, the buffers
# must then all be accounted for) keeps echoing and no PD faulted. The TAP
# device's MTU lets through frames longer than Ethernet's.
malformed_frames() {
    local name=$1 image=$2 mac=$3 echo=$4 ns=pride-test-$$ log=$OUT/$1_malformed.log
    shift 4
    if ! { ip netns add "$ns" && ip netns exec "$ns" ip tuntap add dev tap0 mode tap &&
           ip netns exec "$ns" ip link set tap0 mtu 4000 up &&
           ip netns exec "$ns" ip addr add 10.0.2.1/24 dev tap0; } 2>"$log.setup"; then
        fail "${name}_malformed" "cannot set up a network namespace with a TAP device (needs root): $(cat "$log.setup")"
        ip netns del "$ns" 2>/dev/null
        return
    fi
    : >"$log"
    ip netns exec "$ns" qemu-system-aarch64 -machine "$QEMU_MACHINE" -cpu cortex-a53 -m 512M \
        -smp "$(guest_smp "$image")" -display none \
        -monitor none -serial "file:$log" -global virtio-mmio.force-legacy=false \
        -netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
        -device virtio-net-device,netdev=n0 -kernel "$image" </dev/null >"$log.qemu" 2>&1 &
    local pid=$!
    for ((i = 0; i < 200; i++)); do [ "$(grep -c ' ready' "$log")" -ge $# ] && break; sleep 0.05; done
    [ $# -eq 0 ] || timeout 60 ip netns exec "$ns" python3 "$ROOT/tests/net/ping.py" "$name" "$@" ||
        fail "${name}_ping" "ping checker failed"
    timeout 180 ip netns exec "$ns" python3 "$ROOT/tests/net/malformed.py" tap0 "$mac" $echo |
        sed "s/^\(PASS\|FAIL\): malformed_/\1: ${name}_malformed_/" ||
        fail "${name}_malformed" "checker failed"
    if [[ " $echo " == *" --buffers "* ]]; then
        buffers_accounted "${name}_malformed" "$log"
        # Each oversized frame dropped by the driver, counted there.
        expect_stat "${name}_malformed_oversized_counted" "$log" net_driver drops -ge 200
    fi
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    ip netns del "$ns"
    no_device_error "${name}_malformed" "$log.qemu"
    grep -q 'pride: fault:' "$log" && fail "${name}_malformed_no_fault" "$(grep 'pride: fault:' "$log")" ||
        pass "${name}_malformed_no_fault"
}

malformed_frames net_raw "$BUILD/tests/systems/net_raw/net_raw.img" 52:54:00:00:00:01 10.0.2.15:1235
malformed_frames lwip "$BUILD/tests/systems/lwip_echo/lwip_echo.img" 52:54:00:00:00:01 10.0.2.15:1235

# buffers_accounted NAME LOG: once the accounting PD has answered a query
# (the last in LOG), every buffer of the system must be accounted for.
buffers_accounted() {
    wait_report "$2"
    grep -E 'net: |stats: ' "$2" | sed 's/^/    /'
    if grep 'net: buffers in all:' "$2" | tail -n 1 | grep -q ': all accounted for$'; then
        pass "${1}_buffers_accounted"
    else
        fail "${1}_buffers_accounted" "$(grep 'net: buffers in all:' "$2" | tail -n 1) (see $2)"
    fi
}

# After the traffic, with the network quiet: every network PD reports the
# buffers it holds, and each buffer must be held exactly once; each PD's
# statistics show traffic through it and nothing bad.
check_buffers() {
    sleep 0.5 # let the last frames settle
    check client0 "$1" buffers
    buffers_accounted echo_server "$log"
    expect_stats_clean echo_server "$log" net_driver net_virt_rx net_virt_tx copier0 copier1 \
        client0 client1 timer
}

# The echo server: two lwIP clients behind the virtualisers and copiers,
# each with its own address and ports, exercised one after the other and
# then both at once.
test_echo_server() {
    local log=$OUT/echo_server.log p=() i
    for i in 0 1 2 3; do p+=("$(free_port "$([ $((i % 2)) -eq 0 ] && echo DGRAM || echo STREAM)")"); done
    : >"$log"
    qemu_guest -display none -monitor none \
        -serial "file:$log" -global virtio-mmio.force-legacy=false \
        -netdev "user,id=n0,hostfwd=udp:127.0.0.1:${p[0]}-10.0.2.15:1235,hostfwd=tcp:127.0.0.1:${p[1]}-10.0.2.15:1236,hostfwd=udp:127.0.0.1:${p[2]}-10.0.2.16:1235,hostfwd=tcp:127.0.0.1:${p[3]}-10.0.2.16:1236" \
        -device virtio-net-device,netdev=n0 -kernel "$BUILD/examples/echo_server/echo_server.img" \
        </dev/null >"$log.qemu" 2>&1 &
    local pid=$!
    for ((i = 0; i < 200; i++)); do grep -q 'virtio-net: MAC' "$log" && break; sleep 0.05; done
    check() { # check NAME PORT MODE
        timeout 120 python3 "$ROOT/tests/net/echo_check.py" "$2" "$3" |
            sed "s/^\(PASS\|FAIL\): net_/\1: echo_server_$1_/" || fail "echo_server_$1_$3" "checker failed"
    }
    check client0 "${p[0]}" sizes
    check client1 "${p[2]}" sizes
    check client0 "${p[1]}" tcp
    check client1 "${p[3]}" tcp
    # Both clients at the same time.
    check both0 "${p[1]}" tcp >"$OUT/both0" &
    check both1 "${p[3]}" tcp >"$OUT/both1"
    wait $!
    cat "$OUT/both0" "$OUT/both1"
    check client0 "${p[0]}" burst
    check client1_after_burst "${p[2]}" sizes
    check_buffers "${p[0]}"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    no_device_error echo_server "$log.qemu"
    grep -q 'pride: fault:' "$log" && fail echo_server_no_fault "$(grep 'pride: fault:' "$log")" ||
        pass echo_server_no_fault
}
test_echo_server
malformed_frames echo_server "$BUILD/examples/echo_server/echo_server.img" 52:54:00:00:00:10 \
    "10.0.2.15:1235 10.0.2.16:1235 --buffers" 10.0.2.15 10.0.2.16

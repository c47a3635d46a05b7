#!/usr/bin/env bash
# Boots every example in QEMU and checks what it printed.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/boot
mkdir -p "$OUT"
img() { echo "$BUILD/examples/$1/$1.img"; }

test_hello() {
    local log=$OUT/hello.log
    if boot_system "$(img hello)" "$log" 10 "hello, world from PD 'hello'"; then
        expect_contains boot_hello_kernel_banner "$log" "pride: kernel up, 1 protection domains"
        pass boot_hello_greeting
    else
        fail boot_hello_greeting "no greeting (see $log)"
    fi
    # Entered at EL2, as under the benchmark configuration.
    log=$OUT/hello-el2.log
    if QEMU_MACHINE=virt,virtualization=on boot_system "$(img hello)" "$log" 10 "hello, world"; then
        pass boot_hello_from_el2
    else
        fail boot_hello_from_el2 "no greeting when entered at EL2 (see $log)"
    fi
}

# The checksum ping computes, recomputed here from the protocol's definition.
expected_pingpong_checksum() {
    python3 - <<'PY'
M = (1 << 64) - 1
cs = 0
for i in range(10000):
    mr = [i, i * 7 & M, ~i & M, 0x1234 ^ i]
    out = [(mr[0] + mr[1]) & M, mr[0] ^ mr[2], (mr[3] * 3 + 1) & M]
    for w in out:
        cs = (cs * 31 + w) & M
print("0x%016x" % cs)
PY
}

test_pingpong() {
    local log=$OUT/pingpong.log
    local want
    want="pingpong: 10000 notifications, 10000 calls, 0 bad replies, checksum $(expected_pingpong_checksum)"
    if boot_system "$(img pingpong)" "$log" 30 "^pingpong: "; then
        expect_contains boot_pingpong_checksum "$log" "$want"
    else
        fail boot_pingpong_checksum "no result line (see $log)"
    fi
}

# fault_pc_in LOG PD ELF FUNCTION: the reported pc lies inside FUNCTION of ELF.
fault_pc_in() {
    local pc start size
    pc=$(grep -oE "pd=$2 .*pc=0x[0-9a-f]+" "$1" | grep -oE 'pc=0x[0-9a-f]+' | cut -d= -f2)
    read -r start size < <(aarch64-linux-gnu-nm -S "$3" | awk -v f="$4" '$4 == f {print $1, $2}')
    [ -n "$pc" ] && [ -n "$start" ] &&
        (( pc >= 0x$start && pc < 0x$start + 0x$size ))
}

test_isolation() {
    local log=$OUT/isolation.log dir=$BUILD/examples/isolation
    if ! boot_system "$(img isolation)" "$log" 30 "^heartbeat 40$"; then
        fail boot_isolation "heartbeat did not reach 40 (see $log)"
        return
    fi
    expect_contains isolation_unmapped_read "$log" \
        "pride: fault: pd=reader kind=data abort pc="
    grep -qE 'pd=reader kind=data abort pc=0x[0-9a-f]+ addr=0x10000000 ' "$log" &&
        pass isolation_unmapped_read_address || fail isolation_unmapped_read_address "wrong address"
    fault_pc_in "$log" reader "$dir/reader.elf" init &&
        pass isolation_fault_pc || fail isolation_fault_pc "reported pc is not in reader's init()"
    grep -qE 'pd=writer kind=data abort pc=0x[0-9a-f]+ addr=0x4000000 ' "$log" &&
        pass isolation_readonly_write || fail isolation_readonly_write "no write fault at 0x4000000"
    expect_contains isolation_foreign_channel "$log" "pd=notifier kind=bad syscall"
    expect_contains isolation_undefined_instruction "$log" "pd=undefined kind=undefined instruction"
    if grep -q survived "$log"; then
        fail isolation_no_survivor "a faulting PD ran past its fault"
    else
        pass isolation_no_survivor
    fi
    local last_fault beat
    last_fault=$(grep -n 'pride: fault:' "$log" | tail -n 1 | cut -d: -f1)
    beat=$(line_of "$log" "heartbeat 40")
    if [ "$(grep -c 'pride: fault:' "$log")" -eq 4 ] && [ "$beat" -gt "${last_fault:-999999}" ]; then
        pass isolation_heartbeat_survives
    else
        fail isolation_heartbeat_survives "expected 4 faults, then heartbeats"
    fi
}

test_hierarchy() {
    local log=$OUT/hierarchy.log
    # Linger: a stopped child must stay stopped.
    if ! BOOT_LINGER=1 boot_system "$(img hierarchy)" "$log" 20 "stopping child after 3 restarts"; then
        fail boot_hierarchy "parent never stopped the child (see $log)"
        return
    fi
    local starts restarts
    starts=$(grep -c '^child: start [0-9], crashing$' "$log")
    restarts=$(grep -c '^parent: restarting child$' "$log")
    [ "$starts" -eq 4 ] && [ "$restarts" -eq 3 ] &&
        pass hierarchy_restart_three_times ||
        fail hierarchy_restart_three_times "starts=$starts restarts=$restarts"
    [ "$(grep -c 'parent: child 0 faulted, kind 1 at address 0x0000000000001000' "$log")" -eq 4 ] &&
        pass hierarchy_fault_details || fail hierarchy_fault_details "fault reports to parent wrong"
    if grep -q 'pride: fault:' "$log"; then
        fail hierarchy_no_monitor_report "a child fault went to the monitor, not the parent"
    else
        pass hierarchy_no_monitor_report
    fi
}

test_fuzz() {
    local log=$OUT/fuzz.log
    if ! BOOT_LINGER=0.5 boot_system "$BUILD/tests/systems/fuzz/fuzz.img" "$log" 60 "^fuzz: done"; then
        fail fuzz_kernel_survives "the supervisor never finished (see $log)"
        return
    fi
    pass fuzz_kernel_survives
    local counts kind
    counts=$(grep '^fuzz: faults' "$log")
    for kind in 1 2 3 4 5 6; do
        if [[ "$counts" =~ kind$kind=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
            pass "fuzz_fault_kind_$kind"
        else
            fail "fuzz_fault_kind_$kind" "no fault of kind $kind in: $counts"
        fi
    done
    local done_line last_beat
    done_line=$(line_of "$log" "fuzz: done")
    last_beat=$(grep -n '^heartbeat ' "$log" | tail -n 1 | cut -d: -f1)
    [ "${last_beat:-0}" -gt "$done_line" ] && pass fuzz_heartbeat_survives ||
        fail fuzz_heartbeat_survives "no heartbeat after the fuzzing"
    grep -q 'kernel panic\|kernel trap\|unexpected fault' "$log" &&
        fail fuzz_no_kernel_error "kernel error in $log" || pass fuzz_no_kernel_error
}

test_irq() {
    local log=$OUT/irq.log
    if ! boot_system "$BUILD/tests/systems/irq/irq.img" "$log" 20 "^irq: done"; then
        fail irq_delivery "timer interrupts were not delivered (see $log)"
        return
    fi
    pass irq_delivery
    expect_contains irq_masked_until_ack "$log" "irq: 5 interrupts, none while unacknowledged"
    expect_contains irq_pending_after_ack "$log" "irq: pending interrupt delivered on acknowledgement"
    grep -q FAIL "$log" && fail irq_no_early_delivery "$(grep FAIL "$log")" || pass irq_no_early_delivery
    expect_contains irq_timer_owner_only "$log" "pd=intruder kind=undefined instruction"
}

test_timer() {
    local log=$OUT/timer.log
    if ! boot_system "$(img timer)" "$log" 30 "^timer: done"; then
        fail timer_ten_ticks "no 'timer: done' (see $log)"
        return
    fi
    [ "$(grep -c '^tick [0-9]*: at [0-9]* us, late [0-9]* us$' "$log")" -eq 10 ] &&
        pass timer_ten_ticks || fail timer_ten_ticks "expected 10 tick lines, none early"
    # Each tick k comes no sooner than k * 100 ms and no later than 20 ms after.
    if awk '/^tick / { k = $2 + 0; at = $4; late = $7
                       if (at < k * 100000 || late > 20000) bad = 1; n++ }
            END { exit !(n == 10 && !bad) }' "$log"; then
        pass timer_tick_times
    else
        fail timer_tick_times "a tick came early or over 20 ms late: $(grep '^tick' "$log" | tr '\n' ';')"
    fi
}

test_timer_clients() {
    local log=$OUT/timer_clients.log
    # Linger past 500 ms: the replaced timeout must not fire as well.
    if ! BOOT_LINGER=0.8 boot_system "$BUILD/tests/systems/timer_clients/timer_clients.img" "$log" 30 \
        "^wait50: fired"; then
        fail timer_clients_all_fire "not every client fired (see $log)"
        return
    fi
    local name
    for name in wait20 wait50 replace30; do
        if awk -v n="$name" '$1 == n ":" && $2 == "fired" {
                 got = $4; want = $7; seen++; if (got < want || got > want + 20000) bad = 1 }
             END { exit !(seen == 1 && !bad) }' "$log"; then
            pass "timer_client_$name"
        else
            fail "timer_client_$name" "did not fire once, on time: $(grep "^$name" "$log")"
        fi
    done
    [ "$(line_of "$log" "wait20: fired")" -lt "$(line_of "$log" "replace30: fired")" ] &&
        [ "$(line_of "$log" "replace30: fired")" -lt "$(line_of "$log" "wait50: fired")" ] &&
        pass timer_clients_in_deadline_order || fail timer_clients_in_deadline_order "order wrong"
    expect_contains timer_unknown_request_refused "$log" "replace30: unknown request refused"
}

test_fault_in_call() {
    local log=$OUT/fault_in_call.log
    if ! boot_system "$BUILD/tests/systems/fault_in_call/fault_in_call.img" "$log" 10 \
        "reply label 0x0000000000000042"; then
        fail fault_in_call_no_deadlock "parent never got its second answer (see $log)"
        return
    fi
    pass fault_in_call_no_deadlock
    local error fault
    error=$(line_of "$log" "parent: reply label 0x000000000000dead")
    fault=$(line_of "$log" "parent: child faulted during the call")
    [ "$error" -gt 0 ] && [ "$fault" -gt "$error" ] && pass fault_in_call_error_then_fault ||
        fail fault_in_call_error_then_fault "expected the error reply, then the fault"
}

# Deferred notifications (several in one handler) take effect when the
# handler returns, once each; a receive whose deferred notifications include
# an unowned channel faults its caller, and only it, before notifying anyone.
test_deferred() {
    local log=$OUT/deferred.log
    if ! BOOT_LINGER=0.3 boot_system "$BUILD/tests/systems/deferred/deferred.img" "$log" 10 "pd=hub kind="; then
        fail deferred_notifications "hub never faulted (see $log)"
        return
    fi
    local done leaf count
    done=$(line_of "$log" "hub: init done")
    for leaf in leaf_a leaf_b leaf_c; do
        count=$(line_of "$log" "$leaf: notified, count 1")
        [ "$done" -gt 0 ] && [ "$count" -gt "$done" ] && ! grep -q "$leaf: notified, count 2" "$log" &&
            pass "deferred_notify_$leaf" ||
            fail "deferred_notify_$leaf" "expected one notification after hub's handler (see $log)"
    done
    [ "$(grep -c 'hub: answer from channel' "$log")" -eq 3 ] && pass deferred_answers ||
        fail deferred_answers "expected three answers (see $log)"
    expect_contains deferred_foreign_channel_faults "$log" "pride: fault: pd=hub kind=bad syscall"
    [ "$(grep -c 'pride: fault:' "$log")" -eq 1 ] && pass deferred_only_caller_faulted ||
        fail deferred_only_caller_faulted "a PD other than hub faulted: $(grep 'pride: fault:' "$log" | tr '\n' ';')"
}

test_hello
test_deferred
test_fault_in_call
test_timer
test_timer_clients
test_irq
test_pingpong
test_fuzz
test_isolation
test_hierarchy

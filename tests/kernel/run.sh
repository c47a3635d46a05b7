#!/usr/bin/env bash
# Kernel isolation and life-cycle tests: test systems under tests/systems/
# booted in QEMU, with what they printed checked line by line.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/kernel
mkdir -p "$OUT"
sys() { echo "$BUILD/tests/systems/$1/$1.img"; }

# expect_line NAME LOG REGEX: PASS if a whole line of LOG matches REGEX.
expect_line() {
    if grep -qE -- "^$3\$" "$2"; then pass "$1"; else fail "$1" "no line '$3' in $2"; fi
}

# expect_no_line NAME LOG REGEX: PASS if no line of LOG begins with REGEX.
expect_no_line() {
    if grep -qE -- "^$3" "$2"; then fail "$1" "line '$(grep -m1 -E -- "^$3" "$2")' in $2"; else pass "$1"; fi
}

# Calls, faults and restarts (docs/kernel.md, "Life cycle"): a call to a
# faulted child is answered at once; a child faulting while serving a
# middle server releases it; a delivered fault outlives its parent's restart.
test_lifecycle() {
    local log=$OUT/lifecycle.log
    BOOT_LINGER=0.3 boot_system "$(sys lifecycle)" "$log" 10 "^requeue: child fault delivered"
    local dead=0x000000000000dead kind1="kind 0x0000000000000001"
    expect_line lifecycle_call_to_faulted_child "$log" "call_faulted: call to faulted child answered $dead"
    expect_line lifecycle_call_to_faulted_child_fault "$log" "call_faulted: child fault delivered, $kind1"
    expect_line lifecycle_fault_in_nested_call "$log" "via_middle: middle answered $dead"
    expect_line lifecycle_fault_in_nested_call_fault "$log" "via_middle: child fault delivered, $kind1"
    local restart redelivered
    restart=$(line_of "$log" "requeue: start 0x0000000000000002")
    redelivered=$(line_of "$log" "requeue: child fault delivery 0x0000000000000002")
    [ "$restart" -gt 0 ] && [ "$redelivered" -gt "$restart" ] &&
        pass lifecycle_fault_outlives_parent_restart ||
        fail lifecycle_fault_outlives_parent_restart "child fault not delivered again after restart (see $log)"
    expect_no_line lifecycle_no_monitor_report "$log" "pride: fault:"
}

# The PMU is EL0's only in the benchmark configuration.
test_pmu() {
    local log=$OUT/pmu.log
    boot_system "$(sys pmu)" "$log" 10 "^probe: all accesses tried"
    [ "$(grep -c '^prober: fault kind 3 class 0x0000000000000018$' "$log")" -eq 4 ] &&
        pass pmu_closed_to_el0 || fail pmu_closed_to_el0 "expected 4 trapped PMU accesses (see $log)"
    expect_no_line pmu_no_access_allowed "$log" "probe: access"
    log=$OUT/pmu-benchmark.log
    boot_system "$BUILD/tests/systems/pmu/pmu-benchmark.img" "$log" 10 "^probe: all accesses tried"
    [ "$(grep -c '^probe: access [0-3] allowed$' "$log")" -eq 4 ] &&
        pass pmu_open_in_benchmark_config || fail pmu_open_in_benchmark_config "see $log"
}

# PDs cannot forge the kernel's lines; debug lines of PDs never mix.
test_console() {
    local log=$OUT/console.log
    # The chatters run side by side: the second finishes soon after the first.
    if ! BOOT_LINGER=1 boot_system "$(sys console)" "$log" 20 "^chatter_[ab]: done"; then
        fail console_boot "the chatters never finished (see $log)"
        return
    fi
    expect_no_line console_no_forged_monitor_line "$log" "pride: fault: pd=timer"
    expect_no_line console_no_forged_panic "$log" "pride: kernel panic"
    expect_line console_forged_line_attributed "$log" \
        "forger\\| pride: fault: pd=timer kind=data abort pc=0x0 addr=0x0 esr=0x0"
    expect_line console_split_line_attributed "$log" "forger\\| pride: kernel panic: split"
    if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$log"; then
        fail console_control_bytes_escaped "raw control bytes in $log"
    else
        expect_line console_control_bytes_escaped "$log" \
            '\\x1b\[2K\\x1b\[1Gpride: fault: pd=timer kind=escape'
    fi
    local words report
    words=$(line_of "$log" "quitter: last words")
    report=$(line_of "$log" "pride: fault: pd=quitter kind=data abort")
    [ "$words" -gt 0 ] && [ "$report" -eq $((words + 1)) ] && pass console_pending_output_before_fault ||
        fail console_pending_output_before_fault "unfinished line not printed before the fault (see $log)"
    expect_contains console_area_overclaim_refused "$log" "pride: fault: pd=liar kind=bad syscall"
    expect_no_line console_area_overclaim_not_followed "$log" "liar: FAIL"
    local whole
    whole=$(grep -cE '^chatter_[ab] [0-9]{2} x{50}$' "$log")
    [ "$whole" -eq 120 ] && pass console_lines_whole ||
        fail console_lines_whole "$whole of 120 lines whole (see $log)"
}

# A PD that spends its time calling a higher-priority server does not
# starve its equal-priority peer (time in a call is the caller's slice).
test_fair_calls() {
    local log=$OUT/fair_calls.log
    if ! boot_system "$(sys fair_calls)" "$log" 20 "^fair_calls: counter"; then
        fail fair_calls_share "counter never reported: starved (see $log)"
        return
    fi
    local line counter served
    line=$(grep -m1 '^fair_calls: counter' "$log")
    counter=$(echo "$line" | sed -E 's/.*counter ([0-9]+)%.*/\1/')
    served=$(echo "$line" | sed -E 's/.*caller ([0-9]+)%.*/\1/')
    [ "$counter" -ge 35 ] && [ "$served" -ge 35 ] && pass fair_calls_share ||
        fail fair_calls_share "want both at least 35%: $line"
}

# number_after LOG PREFIX: the number after PREFIX on LOG's first line
# that starts with it ("" if none).
number_after() {
    grep -m1 "^$2" "$1" | sed -E "s/^$2([0-9]+).*/\1/"
}

# in_range VALUE LOW HIGH: VALUE is a number from LOW to HIGH.
in_range() {
    [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# Budgets (docs/kernel.md, "Budgets"), under -icount so that the host's
# load cannot pass for the guest's: a PD spinning at priority 250 with
# 2 ms per 10 ms leaves a priority-100 PD at least 75% of the CPU, and a
# priority-200 timer client's ticks come at most 2.5 ms late (the
# spinner's budget, and 0.5 ms for the timer's and the kernel's paths).
test_budget_spin() {
    local log=$OUT/budget_spin.log low late
    BOOT_LINGER=0.5 boot_system "$(sys budget_spin)" "$log" 30 "^budget_spin: ticker" \
        -icount shift=1,sleep=off
    low=$(number_after "$log" "budget_spin: low got ")
    late=$(number_after "$log" "budget_spin: ticker latest ")
    in_range "$low" 75 100 && pass budget_spin_low_share ||
        fail budget_spin_low_share "want at least 75%, got '${low}' (see $log)"
    in_range "$late" 0 2500 && pass budget_spin_tick_lateness ||
        fail budget_spin_tick_lateness "want at most 2500 us late, got '${late}' (see $log)"
}

# A passive server's work is charged to its callers: each client's calls
# are served with its own budget's share (20%, 40%), not the server's
# (1%) and not all the CPU; what is left goes to a low-priority PD.
test_budget_calls() {
    local log=$OUT/budget_calls.log a b low_a low_b
    BOOT_LINGER=0.3 boot_system "$(sys budget_calls)" "$log" 30 "^budget_calls: client_b" \
        -icount shift=1,sleep=off
    a=$(number_after "$log" "budget_calls: client_a served ")
    b=$(number_after "$log" "budget_calls: client_b served ")
    low_a=$(grep '^budget_calls: low got ' "$log" | sed -n 1p | sed -E 's/[^0-9]*([0-9]+)%/\1/')
    low_b=$(grep '^budget_calls: low got ' "$log" | sed -n 2p | sed -E 's/[^0-9]*([0-9]+)%/\1/')
    in_range "$a" 16 21 && in_range "$b" 35 41 && pass budget_calls_charged_to_callers ||
        fail budget_calls_charged_to_callers "want 16-21% and 35-41%, got '${a}' and '${b}' (see $log)"
    in_range "$low_a" 75 84 && in_range "$low_b" 55 64 && pass budget_calls_rest_left ||
        fail budget_calls_rest_left "want 75-84% and 55-64% left, got '${low_a}' and '${low_b}' (see $log)"
}

# Secondary cores (PSCI CPU_ON, through hvc, or smc when EL2 exists)
# come up and wait, under -smp 2 and 4; the system still runs on core 0:
# the life-cycle system's whole story, and a budget test's figures.
test_smp_boot() {
    local machine n log
    for machine in virt virt,virtualization=on; do
        for n in 2 4; do
            log=$OUT/smp_${n}_${machine//[,=]/_}.log
            QEMU_MACHINE=$machine BOOT_LINGER=0.3 boot_system "$(sys lifecycle)" "$log" 10 \
                "^requeue: child fault delivered" -smp "$n"
            expect_line "smp_${n}_${machine//[,=]/_}_cores_up" "$log" \
                "pride: $n cores up, protection domains on 1"
            expect_line "smp_${n}_${machine//[,=]/_}_system_runs" "$log" \
                "via_middle: middle answered 0x000000000000dead"
        done
    done
    log=$OUT/smp_1.log
    boot_system "$(sys lifecycle)" "$log" 10 "^requeue: child fault delivered" -smp 1
    expect_no_line smp_1_no_cores_line "$log" "pride: [0-9]+ cores up"
}

test_lifecycle
test_smp_boot
test_budget_spin
test_budget_calls
test_pmu
test_console
test_fair_calls

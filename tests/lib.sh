# Shared helpers for Pride's test scripts (sourced, not run).
# Every test prints exactly one line: "PASS: <name>" or "FAIL: <name>: <why>".
# tests/run_all.sh counts those lines and prints "N passed, N failed".

pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1: $2"; }

# expect_contains NAME FILE PATTERN: PASS if the fixed string PATTERN is in FILE.
expect_contains() {
    if grep -qF -- "$3" "$2"; then pass "$1"; else fail "$1" "missing '$3' in $2"; fi
}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}

QEMU_MACHINE=${QEMU_MACHINE:-virt}
# Cores QEMU starts: QEMU_SMP (tests/smp/run.sh runs scripts again with 2
# and 4), or more if the system booted has PDs on more (pride cores).
QEMU_SMP=${QEMU_SMP:-1}

# system_cores IMAGE: the cores the system of IMAGE (an image of
# examples/X or tests/systems/X, as the Makefile builds them) uses; 1 for
# any other image.
system_cores() {
    local dir=${1#"$BUILD"/}
    dir=${dir%/*}
    local file=$ROOT/$dir/${dir##*/}.system
    if [ -f "$file" ]; then "$BUILD/bin/pride" cores "$file"; else echo 1; fi
}

# guest_smp IMAGE: the cores QEMU starts for IMAGE: QEMU_SMP, or as many
# as its system uses if more.
guest_smp() {
    local need
    need=$(system_cores "$1")
    echo $((need > QEMU_SMP ? need : QEMU_SMP))
}

# qemu_guest ARGS... &: QEMU's virt machine as the tests boot it, with the
# cores (guest_smp) of its -kernel image (the args may add their own -smp:
# the last one counts). Only ever run in the background: it execs QEMU, so
# that $! is QEMU's own PID, the one the test kills.
qemu_guest() {
    local arg prev="" image=""
    for arg in "$@"; do
        [ "$prev" = -kernel ] && image=$arg
        prev=$arg
    done
    exec qemu-system-aarch64 -machine "$QEMU_MACHINE" -cpu cortex-a53 -m 512M -smp "$(guest_smp "$image")" "$@"
}

# boot_system IMAGE LOG SECONDS PATTERN [QEMU ARGS...]
# Boots IMAGE with the serial console written to LOG until the extended
# regex PATTERN appears in LOG, QEMU exits, or SECONDS pass; then kills that
# QEMU by its PID. Returns 0 only if PATTERN appeared.
boot_system() {
    local image=$1 log=$2 seconds=$3 pattern=$4
    shift 4
    : >"$log"
    qemu_guest -nic none \
        -display none -monitor none -serial "file:$log" -kernel "$image" "$@" \
        </dev/null >"$log.qemu" 2>&1 &
    local pid=$! found=1
    for ((i = 0; i < seconds * 20; i++)); do
        if grep -qE -- "$pattern" "$log"; then found=0; break; fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    [ $found -eq 0 ] && sleep "${BOOT_LINGER:-0}"
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    [ $found -eq 0 ] || grep -qE -- "$pattern" "$log"
}

# free_port DGRAM|STREAM: a free port on 127.0.0.1 for a UDP or TCP forward.
free_port() {
    python3 -c "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_$1); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"
}

# line_of LOG PATTERN: number of the first line matching fixed string PATTERN (0 if none).
line_of() {
    local n
    n=$(grep -nF -- "$2" "$1" | head -n 1 | cut -d: -f1)
    echo "${n:-0}"
}

# stat_of LOG PD FIELD: FIELD (passed, drops, bad_desc or bad_idx) of PD's
# last statistics line in LOG (include/pride/stats.h), or nothing if PD
# reported none. "passed" is the first field, named by its unit. A line is
# found anywhere, since a device's output may surround it.
stat_of() {
    local rest
    rest=$(grep -aoE "stats: $2 [a-z]+=[0-9]+ drops=[0-9]+ bad_desc=[0-9]+ bad_idx=[0-9]+" "$1" |
           tail -n 1)
    rest=${rest#stats: $2 }
    [ "$3" = passed ] && rest="passed=${rest#*=}"
    [[ " $rest" =~ \ $3=([0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}

# expect_stat NAME LOG PD FIELD TEST VALUE: PASS if PD reported FIELD and
# it passes the test (-eq, -gt, -ge) against VALUE.
expect_stat() {
    local n
    n=$(stat_of "$2" "$3" "$4")
    if [ -n "$n" ] && [ "$n" "$5" "$6" ]; then
        pass "$1"
    else
        fail "$1" "$3 reported $4=${n:-nothing}, want $5 $6 (see $2)"
    fi
}

# expect_stats_clean NAME LOG PD...: each PD reported that something passed
# through it and nothing was bad (bad_desc=0 bad_idx=0); one result each.
expect_stats_clean() {
    local name=$1 log=$2 pd passed desc idx
    shift 2
    for pd in "$@"; do
        passed=$(stat_of "$log" "$pd" passed)
        desc=$(stat_of "$log" "$pd" bad_desc)
        idx=$(stat_of "$log" "$pd" bad_idx)
        if [ "${passed:-0}" -gt 0 ] && [ "$desc" = 0 ] && [ "$idx" = 0 ]; then
            pass "${name}_${pd}_stats_clean"
        else
            fail "${name}_${pd}_stats_clean" \
                "passed=${passed:-?} bad_desc=${desc:-?} bad_idx=${idx:-?} (see $log)"
        fi
    done
}

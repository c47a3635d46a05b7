#!/usr/bin/env bash
# Host tests of the SPSC ring protocol (include/pride/ring.h) through the
# serial byte queue (include/serial/queue.h):
#  - unit.c under ASan/UBSan: one line per case (edge cases, signalling,
#    corruption handling);
#  - net_unit.c under ASan/UBSan: the network descriptor queues
#    (include/net/queue.h): wrap, full/empty, corruption, the descriptor
#    checks every hop shares;
#  - blk_unit.c under ASan/UBSan: the block protocol (include/blk/queue.h):
#    queues, and the request check every block server uses;
#  - fs_unit.c under ASan/UBSan: the file-system protocol (include/fs/protocol.h):
#    the command check every file server uses, and the queues;
#  - net_accounting.c under ASan/UBSan: the network buffer accounting
#    (include/net/holdings.h) on a model of the echo server, healthy and
#    with buffers lost, doubled or unconfirmed;
#  - stress.c under ThreadSanitizer: two threads, 10 MB checked byte by byte,
#    real sleep/notify protocol; a race report, a mismatch or a hang fails;
#  - stress.c again without sanitizer, so the ordering is exercised at full
#    speed on real hardware (TSan serialises much of it);
#  - litmus.c natively: the request-signal/publish race in isolation, which
#    catches a missing full barrier (the one thing TSan cannot see).
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE=$ROOT/tests/queue
OUT=$BUILD/tests/queue
CFLAGS=(-std=c11 -Wall -Wextra -Werror -O2 -g -Iinclude)
STRESS_BYTES=${STRESS_BYTES:-10000000}
mkdir -p "$OUT"
cd "$ROOT" || exit 1

# run_checked NAME SECONDS CMD...: CMD prints its own PASS/FAIL lines; add a
# FAIL line if it exits non-zero (sanitizer report, crash, timeout) or prints
# no PASS line at all. Output beyond those lines goes to $OUT/NAME.log.
run_checked() {
    local name=$1 seconds=$2 log=$OUT/$1.log status
    shift 2
    timeout "$seconds" "$@" >"$log" 2>&1
    status=$?
    grep -E '^(PASS|FAIL): ' "$log"
    if [ $status -eq 124 ]; then
        fail "$name" "timed out after ${seconds}s (see $log)"
    elif [ $status -ne 0 ]; then
        grep -q '^FAIL: ' "$log" || fail "$name" "exit status $status (see $log)"
    elif ! grep -q '^PASS: ' "$log"; then
        fail "$name" "printed no result (see $log)"
    fi
}

# test_sanitized NAME SOURCE: build a unit test with ASan/UBSan and run it.
test_sanitized() {
    local name=$1 source=$2
    if ! gcc "${CFLAGS[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
            -o "$OUT/$name" "$HERE/$source" 2>"$OUT/$name.build.log"; then
        fail "$name" "build failed (see $OUT/$name.build.log)"
        return
    fi
    ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        run_checked "$name" 60 "$OUT/$name"
}

# TSan does not model stand-alone fences (GCC warns, -Wtsan); the data is
# ordered by the acquire/release index accesses it does model, and the
# fence-based wakeup logic is checked by tests/spin/ instead.
test_stress() {
    if ! gcc "${CFLAGS[@]}" -Wno-tsan -fsanitize=thread -pthread \
            -o "$OUT/stress-tsan" "$HERE/stress.c" 2>"$OUT/stress.build.log" ||
       ! gcc "${CFLAGS[@]}" -pthread \
            -o "$OUT/stress" "$HERE/stress.c" 2>>"$OUT/stress.build.log"; then
        fail queue_stress "build failed (see $OUT/stress.build.log)"
        return
    fi
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        run_checked queue_stress 120 "$OUT/stress-tsan" "$STRESS_BYTES" queue_stress
    run_checked queue_stress_native 120 "$OUT/stress" $((STRESS_BYTES * 10)) queue_stress_native
}

test_litmus() {
    if ! gcc "${CFLAGS[@]}" -pthread -o "$OUT/litmus" "$HERE/litmus.c" 2>"$OUT/litmus.build.log"; then
        fail queue_litmus "build failed (see $OUT/litmus.build.log)"
        return
    fi
    run_checked queue_litmus 120 "$OUT/litmus"
}

test_sanitized queue_unit unit.c
test_sanitized net_unit net_unit.c
test_sanitized net_accounting net_accounting.c
test_sanitized blk_unit blk_unit.c
test_sanitized fs_unit fs_unit.c
test_stress
test_litmus

#!/usr/bin/env bash
# Model checks of the ring wakeup protocol (include/pride/ring.h) with Spin:
#  - ring.pml must verify with no error (no deadlock, no item left unseen);
#  - ring_broken.pml, the same model with the consumer's re-check removed,
#    must make Spin report an error, which shows the checks can fail.
# Safety checks only (-DSAFETY); both models take well under a second.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE=$ROOT/tests/spin
OUT=$BUILD/tests/spin

# verify MODEL: generate, build and run the verifier for tests/spin/MODEL.pml
# in $OUT/MODEL/; its report ends up in $OUT/MODEL/pan.log. Fails only if a
# step could not run (compile error, timeout, no report). Two runs sharing
# one $BUILD at the same time would trample each other's directories.
verify() {
    local dir=$OUT/$1
    rm -rf "$dir" && mkdir -p "$dir" || return 1
    (
        cd "$dir" &&
        spin -a "$HERE/$1.pml" >spin.log 2>&1 &&
        gcc -O2 -DSAFETY -o pan pan.c >gcc.log 2>&1 &&
        { timeout 60 ./pan -m100000 >pan.log 2>&1; [ $? -ne 124 ]; } &&
        grep -q 'states, stored' pan.log
    )
}

# summary LOG: "N states, T s" from a pan report.
summary() {
    local states seconds
    states=$(awk '/states, stored/ {print $1; exit}' "$1")
    seconds=$(awk '/elapsed time/ {print $4; exit}' "$1")
    echo "${states:-?} states, ${seconds:-?} s"
}

test_correct_model() {
    local log=$OUT/ring/pan.log
    if ! command -v spin >/dev/null; then
        fail spin_ring "spin is not installed"
    elif ! verify ring; then
        fail spin_ring "could not build or run the verifier (see $OUT/ring/)"
    elif ! grep -q 'errors: 0$' "$log"; then
        fail spin_ring "$(grep -m1 -E '^pan:' "$log") (see $log and its .trail)"
    elif grep -qE 'Search not completed|max search depth too small' "$log"; then
        fail spin_ring "search incomplete (see $log)"
    else
        pass "spin_ring: no lost wakeup, no deadlock: $(summary "$log")"
    fi
}

test_broken_model() {
    local log=$OUT/ring_broken/pan.log why
    if ! command -v spin >/dev/null; then
        fail spin_ring_broken "spin is not installed"
    elif ! verify ring_broken; then
        fail spin_ring_broken "could not build or run the verifier (see $OUT/ring_broken/)"
    elif ! grep -qE 'errors: [1-9]' "$log"; then
        fail spin_ring_broken "the broken protocol was not caught (see $log)"
    else
        why=$(grep -m1 -oE 'assertion violated|invalid end state' "$log")
        pass "spin_ring_broken: error found as expected (${why:-error}): $(summary "$log")"
    fi
}

test_correct_model
test_broken_model

#!/usr/bin/env bash
# Model checks of the ring wakeup protocol (include/pride/ring.h) with Spin:
#  - ring.pml must verify with no error (no deadlock, no item left unseen);
#  - ring_broken.pml, the same model with the consumer's re-check removed,
#    must make Spin report an error, which shows the checks can fail;
#  - net.pml, the free/active queue pair of include/net/queue.h between two
#    event-driven PDs with buffers circulating, must verify with no error
#    (no deadlock, buffers conserved, no lost wakeup);
#  - net_broken.pml, the same with the free queue's signal left out, must
#    make Spin report an error;
#  - net_demand.pml, the transmit path client -> TX virtualiser -> driver
#    -> device with free queues signalled on demand (a client short of
#    buffers asks for them, the virtualiser passes the demand on, the
#    driver enables completion interrupts only while someone waits), must
#    verify with no error (no deadlock, buffers conserved, no frame
#    stranded, no client left short of buffers while all sleep);
#  - net_demand_broken.pml, the same with the virtualiser not passing the
#    demand on to the driver, must make Spin report an error;
#  - net_demand_rx.pml, the receive path device -> driver -> RX
#    virtualiser -> copier with free queues signalled on demand (a driver
#    short of posted buffers asks for them and kicks the virtualiser, which
#    then asks the copier for its returns), must verify with no error (no
#    deadlock, buffers conserved, every received frame reaches the copier,
#    the device never left without buffers while all sleep);
#  - net_demand_rx_broken.pml, the same with the driver not kicking the
#    virtualiser when short, must make Spin report an error;
#  - blk.pml, the block protocol between a client and the virtio-blk driver
#    (include/blk/queue.h) with a device completing in any order, a barrier
#    and a client that falls behind in reading responses, must verify with
#    no error (no lost answer, each answered once, barrier order kept, no
#    deadlock); blk_broken.pml, the driver taking requests whatever room the
#    response queue has left, must make Spin report an error;
#  - lifecycle.pml, the kernel's rules for calls, receive, faults, restarts
#    and stops (kernel/ipc.c, kernel/fault.c) over a grandparent, a parent,
#    a middle server and the parent's child, must verify with no error (no
#    deadlock, every call answered, no lost fault, no PD held twice);
#  - lifecycle_broken.pml (a call to a faulted server queued),
#    lifecycle_broken_nested.pml (a faulting server keeps a caller other
#    than its parent) and lifecycle_broken_putback.pml (a restart or stop
#    drops a child fault being handled), the rules as the kernel once had
#    them, must each make Spin report an error;
#  - smp.pml, a notification across cores under the kernel lock with the
#    receiving core idling in WFI and woken by the reschedule SGI
#    (kernel/smp.c), must verify with no error (no lost wakeup, every
#    notification delivered and handled); smp_broken.pml, no SGI to an idle
#    core, must make Spin report an error.
# Safety checks only (-DSAFETY); the ring models take well under a second,
# net.pml a few seconds, net_demand.pml several seconds and about 0.8 GB of
# memory, net_demand_rx.pml several seconds and about 0.6 GB, lifecycle.pml
# a few seconds and about 0.25 GB.
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

# test_correct_model MODEL NAME WHAT: MODEL must verify with no error.
test_correct_model() {
    local model=$1 name=$2 what=$3 log=$OUT/$1/pan.log
    if ! command -v spin >/dev/null; then
        fail "$name" "spin is not installed"
    elif ! verify "$model"; then
        fail "$name" "could not build or run the verifier (see $OUT/$model/)"
    elif ! grep -q 'errors: 0$' "$log"; then
        fail "$name" "$(grep -m1 -E '^pan:' "$log") (see $log and its .trail)"
    elif grep -qE 'Search not completed|max search depth too small' "$log"; then
        fail "$name" "search incomplete (see $log)"
    else
        pass "$name: $what: $(summary "$log")"
    fi
}

# test_broken_model MODEL NAME: Spin must find an error in MODEL.
test_broken_model() {
    local model=$1 name=$2 log=$OUT/$1/pan.log why
    if ! command -v spin >/dev/null; then
        fail "$name" "spin is not installed"
    elif ! verify "$model"; then
        fail "$name" "could not build or run the verifier (see $OUT/$model/)"
    elif ! grep -qE 'errors: [1-9]' "$log"; then
        fail "$name" "the broken protocol was not caught (see $log)"
    else
        why=$(grep -m1 -oE 'assertion violated|invalid end state' "$log")
        pass "$name: error found as expected (${why:-error}): $(summary "$log")"
    fi
}

test_correct_model ring spin_ring "no lost wakeup, no deadlock"
test_broken_model ring_broken spin_ring_broken
test_correct_model net spin_net "buffers conserved, no lost wakeup, no deadlock"
test_broken_model net_broken spin_net_broken
test_correct_model net_demand spin_net_demand \
    "buffers conserved, no stranded frame, no client left short, no deadlock"
test_broken_model net_demand_broken spin_net_demand_broken
test_correct_model net_demand_rx spin_net_demand_rx \
    "buffers conserved, no stranded frame, no starved device, no deadlock"
test_broken_model net_demand_rx_broken spin_net_demand_rx_broken
test_correct_model blk spin_blk "no lost answer, each answered once, barrier order kept, no deadlock"
test_broken_model blk_broken spin_blk_broken
test_correct_model lifecycle spin_lifecycle \
    "no deadlock, every call answered, no lost fault, no PD held twice"
test_broken_model lifecycle_broken spin_lifecycle_broken
test_broken_model lifecycle_broken_nested spin_lifecycle_broken_nested
test_broken_model lifecycle_broken_putback spin_lifecycle_broken_putback
test_correct_model smp spin_smp "no lost wakeup across cores, every notification handled"
test_broken_model smp_broken spin_smp_broken

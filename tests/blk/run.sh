#!/usr/bin/env bash
# Block tests: the virtio-blk driver and the block protocol on QEMU's
# virtio-blk device, backed by a disk image made here (tests/systems/blk_basic):
# reads of what the host wrote, writes, FLUSH and BARRIER, requests no server
# may follow, and read-only storage; afterwards the host reads the image.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/blk
IMAGE=$BUILD/tests/systems/blk_basic/blk_basic.img
mkdir -p "$OUT"

# make_disk FILE: 8192 sectors, byte j of sector s = (7 s + j) mod 256.
make_disk() {
    python3 -c "
import sys
with open(sys.argv[1], 'wb') as f:
    for s in range(8192):
        f.write(bytes((s * 7 + j) & 0xff for j in range(512)))" "$1"
}

# disk_holds_writes FILE: sectors 1000..1063 hold the guest's pattern (13 s + j + 1),
# every other sector still the host's.
disk_holds_writes() {
    python3 -c "
import sys
data = open(sys.argv[1], 'rb').read()
for s in range(8192):
    seed, extra = (13, 1) if 1000 <= s < 1064 else (7, 0)
    want = bytes((s * seed + j + extra) & 0xff for j in range(512))
    if data[s * 512:(s + 1) * 512] != want:
        sys.exit('sector %d differs' % s)" "$1"
}

# run_blk NAME DISK DRIVE_OPTS: boot the tester on DISK; the lines it printed.
run_blk() {
    local log=$OUT/$1.log
    if ! boot_system "$IMAGE" "$log" 30 "tester: done: ok" -global virtio-mmio.force-legacy=false \
        -drive "file=$2,if=none,format=raw,id=d0$3" -device virtio-blk-device,drive=d0; then
        fail "$1" "never printed 'tester: done' (see $log)"
        return 1
    fi
    if grep -q 'FAILED' "$log"; then
        fail "$1" "$(grep -m1 FAILED "$log")"
    else
        pass "$1"
    fi
    if grep -q 'pride: fault' "$log"; then fail "${1}_no_fault" "$(grep -m1 'pride: fault' "$log")"
    else pass "${1}_no_fault"; fi
}

make_disk "$OUT/rw.img"
if run_blk blk_read_write "$OUT/rw.img" ""; then
    expect_contains blk_flush_offered "$OUT/blk_read_write.log" "write cache flushed on FLUSH"
    if out=$(disk_holds_writes "$OUT/rw.img" 2>&1); then pass blk_writes_on_disk
    else fail blk_writes_on_disk "$out"; fi
fi

make_disk "$OUT/ro.img"
before=$(sha256sum <"$OUT/ro.img")
if run_blk blk_read_only "$OUT/ro.img" ",readonly=on"; then
    expect_contains blk_read_only_seen "$OUT/blk_read_only.log" "writes refused on read-only storage"
    [ "$(sha256sum <"$OUT/ro.img")" = "$before" ] && pass blk_read_only_disk_unchanged ||
        fail blk_read_only_disk_unchanged "the image changed"
fi

# The partition-table parser the block virtualiser uses, on the host under
# ASan/UBSan, with tables made by sfdisk: what it finds, and that 2,000
# mutated copies of each never give a partition outside the disk.
test_partitions() {
    local bin=$OUT/partitions
    if ! gcc -std=c11 -Wall -Wextra -Werror -O2 -g -I"$ROOT/include" \
            -fsanitize=address,undefined -fno-sanitize-recover=all \
            -o "$bin" "$ROOT/tests/blk/partitions.c" 2>"$OUT/partitions.build.log"; then
        fail blk_partitions "build failed (see $OUT/partitions.build.log)"
        return
    fi
    local label want
    for label in dos gpt; do
        rm -f "$OUT/$label.img" && truncate -s 8M "$OUT/$label.img"
        printf 'label: %s\nstart=2048, size=4096\nstart=6144, size=8192\n' "$label" |
            sfdisk -q "$OUT/$label.img" >/dev/null 2>&1
        want=$([ $label = dos ] && echo mbr || echo gpt)
        if [ "$("$bin" "$OUT/$label.img" | tr '\n' ' ')" = "$want 2048 4096 6144 8192 " ]; then
            pass "blk_partitions_$label"
        else
            fail "blk_partitions_$label" "$("$bin" "$OUT/$label.img" | tr '\n' ' ')"
        fi
        if out=$(timeout 120 "$bin" "$OUT/$label.img" 2000 7 2>&1 | tail -1) &&
           [[ $out == fuzzed* ]]; then pass "blk_partitions_${label}_mutants: $out"
        else fail "blk_partitions_${label}_mutants" "$out"; fi
    done
    rm -f "$OUT/bare.img" && truncate -s 8M "$OUT/bare.img"
    [ "$("$bin" "$OUT/bare.img")" = none ] && pass blk_partitions_none ||
        fail blk_partitions_none "$("$bin" "$OUT/bare.img")"
}
test_partitions

# fill_partitions FILE: each partition's sector s holds the host's pattern
# (7 s + j) counted from the partition's start, as the tester expects.
PARTS="2048:4096 6144:8192 14336:1024"
fill_partitions() {
    python3 -c "
import sys
f = open(sys.argv[1], 'r+b')
for part in sys.argv[2:]:
    start, n = map(int, part.split(':'))
    f.seek(start * 512)
    f.write(b''.join(bytes((s * 7 + j) & 0xff for j in range(512)) for s in range(n)))" "$1" $PARTS
}

# partitions_hold_writes FILE CLEAN: sectors 1000..1063 of the testers' partitions hold
# the guest's pattern; every other byte of the disk is as in CLEAN.
partitions_hold_writes() {
    python3 -c "
import sys
data, clean = open(sys.argv[1], 'rb').read(), bytearray(open(sys.argv[2], 'rb').read())
for part in sys.argv[3:5]:  # the two testers'; the hostile client only reads
    start = int(part.split(':')[0])
    for s in range(1000, 1064):
        clean[(start + s) * 512:(start + s + 1) * 512] = bytes((s * 13 + j + 1) & 0xff for j in range(512))
if data != clean:
    first = next(i for i in range(len(data)) if data[i] != clean[i])
    sys.exit('byte %d (sector %d) differs' % (first, first // 512))" "$1" "$2" $PARTS
}

# boot_parts DISK LOG: the two-client system on DISK until the statistics
# PD has reported twice, the last time after the hostile client's attack
# (at most 30 s), then QEMU is killed by its PID.
boot_parts() {
    : >"$2"
    qemu_guest -nic none -display none \
        -monitor none -serial "file:$2" -global virtio-mmio.force-legacy=false \
        -drive "file=$1,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
        -kernel "$BUILD/tests/systems/blk_parts/blk_parts.img" </dev/null >"$2.qemu" 2>&1 &
    local pid=$! i
    for ((i = 0; i < 600; i++)); do
        [ "$(grep -c '^stats: blk_virt ' "$2")" -ge 2 ] &&
            [ "$(grep -n '^stats: blk_virt ' "$2" | tail -1 | cut -d: -f1)" -gt "$(line_of "$2" 'hostile: attacked')" ] &&
            [ "$(line_of "$2" 'hostile: attacked')" -gt 0 ] && break
        grep -q 'does not check out' "$2" && sleep 1 && break
        sleep 0.05
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}

# Two clients of the block virtualiser, each on its partition of an MBR or
# a GPT disk, at the same time, next to a hostile one on a third; then a GPT
# whose primary header is corrupt.
test_partitioned() {
    local label=$1 name=blk_virt_$1 disk=$OUT/parts_$1.img log=$OUT/blk_virt_$1.log
    rm -f "$disk" && truncate -s 8M "$disk"
    printf 'label: %s\nstart=2048, size=4096\nstart=6144, size=8192\nstart=14336, size=1024\n' \
        "$label" | sfdisk -q "$disk" >/dev/null 2>&1
    fill_partitions "$disk" && cp "$disk" "$disk.clean"
    boot_parts "$disk" "$log"
    expect_contains "${name}_table" "$log" "blk_virt: $2, 3 partitions"
    expect_contains "${name}_hostile_attacked" "$log" "hostile: attacked"
    for c in client0 client1; do
        if grep -q "$c: done: ok" "$log" && ! grep -q "$c: .*FAILED" "$log"; then pass "${name}_$c"
        else fail "${name}_$c" "$(grep -m1 "$c: .*FAILED" "$log" || echo "not done, see $log")"; fi
    done
    if out=$(partitions_hold_writes "$disk" "$disk.clean" 2>&1); then pass "${name}_only_own_partition_written"
    else fail "${name}_only_own_partition_written" "$out"; fi
    # The virtualiser counted the hostile client's broken index and the
    # testers' 22 forged requests; the driver was handed none of them.
    local virt driver
    virt=$(grep '^stats: blk_virt ' "$log" | tail -1)
    driver=$(grep '^stats: blk_driver ' "$log" | tail -1)
    if [[ $virt =~ bad_desc=([0-9]+)\ bad_idx=([0-9]+) ]] && [ "${BASH_REMATCH[1]}" -ge 22 ] &&
       [ "${BASH_REMATCH[2]}" -ge 1 ]; then pass "${name}_virt_counted_the_attacks"
    else fail "${name}_virt_counted_the_attacks" "'$virt'"; fi
    if [[ $driver == *"bad_desc=0 bad_idx=0"* ]]; then pass "${name}_driver_saw_nothing_bad"
    else fail "${name}_driver_saw_nothing_bad" "'$driver'"; fi
}
test_partitioned dos MBR
test_partitioned gpt GPT

# A GPT whose primary header is corrupt (one byte of its CRC): no partition
# is used, so nothing is written, and the clients are never told "ready".
test_corrupt_gpt() {
    local disk=$OUT/parts_bad.img log=$OUT/blk_virt_bad.log
    cp "$OUT/parts_gpt.img.clean" "$disk"
    printf '\xff' | dd of="$disk" bs=1 seek=$((512 + 16)) conv=notrunc status=none
    cp "$disk" "$disk.clean"
    boot_parts "$disk" "$log"
    expect_contains blk_virt_corrupt_gpt_refused "$log" "blk_virt: GPT that does not check out, 0 partitions"
    if grep -q 'client[01]: read' "$log"; then fail blk_virt_corrupt_gpt_clients_idle "$(grep -m1 client "$log")"
    else pass blk_virt_corrupt_gpt_clients_idle; fi
    cmp -s "$disk" "$disk.clean" && pass blk_virt_corrupt_gpt_disk_unchanged ||
        fail blk_virt_corrupt_gpt_disk_unchanged "the image changed"
}
test_corrupt_gpt

#!/usr/bin/env bash
# The FAT server when things end badly (tests/systems/fs_stress):
#  - a full disk: on FAT12, FAT16 and FAT32 volumes the guest writes until
#    the disk is full and then tries to grow anything; it must get a short
#    write, then ENOSPC for every further growth, while creating an empty
#    file still works; fsck.fat -n finds nothing wrong, the file holds what
#    the guest said, and every other file is intact;
#  - a hostile client: every command no server may follow refused with its
#    own status, a flood answered, and the server serving on;
#  - many commands in flight at once (the asynchronous interface): each
#    answered rightly, and a quick one overtaking a slow one;
#  - power cuts: QEMU is killed (SIGKILL) at 20 random moments while the
#    guest writes, fsyncs, replaces and removes files; after each cut every
#    file synced before it must be intact and every synced removal done
#    (tests/fs/power.py), and what fsck.fat -n said is reported; the next
#    boot goes on from the volume as the cut left it.
set -u
source "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8
OUT=$BUILD/tests/fs/stress
IMG=$BUILD/tests/systems/fs_stress/fs_stress.img
mkdir -p "$OUT"
QEMU_DISK=(-global virtio-mmio.force-legacy=false -device virtio-blk-device,drive=d0)

# workload IMAGE LOG: the tester on IMAGE (its /mode.txt says what it does)
# until it ends, within 120 s; true if it did.
workload() {
    boot_system "$IMG" "$2" 120 "tester: (done|program finished)" "${QEMU_DISK[@]}" \
        -drive "file=$1,if=none,format=raw,id=d0"
}

# volume IMAGE MODE KIB MKFS-OPTIONS...: a FAT volume with a few files and /mode.txt.
volume() {
    local image=$1 mode=$2 kib=$3
    shift 3
    rm -rf "$OUT/files" && mkdir -p "$OUT/files/sub" && echo "$mode" >"$OUT/files/mode.txt" &&
        head -c 5000 /dev/urandom >"$OUT/files/keep.bin" && echo kept >"$OUT/files/sub/kept.txt" &&
        rm -f "$image" && mkfs.fat -C "$@" "$image" "$kib" >/dev/null &&
        mcopy -s -i "$image" "$OUT/files"/* ::/
}

fsck_clean() {
    local out
    out=$(fsck.fat -n "$1" 2>&1)
    [ $? -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 2 ] || { echo "$out" | tail -n +2 | head -3 | tr '\n' ' '; return 1; }
}

for spec in "12 2048 -F 12 -s 1" "16 8192 -F 16 -s 1" "32 40960 -F 32 -s 1"; do
    set -- $spec
    fat=$1 image=$OUT/fill$1.img log=$OUT/fill$1.log
    volume "$image" fill "$2" "${@:3}"
    if ! workload "$image" "$log"; then
        fail "fat${fat}_full_disk" "no end, see $log"
        continue
    fi
    steps=$(sed -n 's/^tester: \([a-z_]*\) \(ok\|errno\) \([0-9]*\)$/\1=\3/p' "$log" | paste -sd' ')
    bytes=$(sed -n 's/^tester: fill \([0-9]*\) errno \([0-9]*\)$/\1/p' "$log")
    got=$(mdir -b -i "$image" ::/fill.bin >/dev/null 2>&1 && mcopy -n -i "$image" ::/fill.bin - | wc -c)
    why=$(fsck_clean "$image") || { fail "fat${fat}_full_disk" "fsck: $why"; continue; }
    [ "$steps" = "write_more=28 close=0 mkdir=28 create_empty=0 write_new=28 sync=0" ] &&
        [ -n "$bytes" ] && [ "$got" = "$bytes" ] &&
        [ "$(mcopy -n -i "$image" ::/keep.bin - | sha256sum)" = "$(sha256sum <"$OUT/files/keep.bin")" ] &&
        pass "fat${fat}_full_disk_enospc_fsck_clean: $bytes bytes fit" ||
        fail "fat${fat}_full_disk" "steps '$steps', fill.bin $got of $bytes bytes"
done

# Many commands in flight at once (fs_submit): 24 reads of 1 KiB all over
# two 200 KB files (some not sector-aligned) and a STAT sent right after a
# 32 KiB read: every read must bring exactly the host's bytes, and the
# STAT must be answered first (the server answers from its cache while
# another worker waits for the disk).
image=$OUT/async.img log=$OUT/async.log
volume "$image" async 16384 -F 16 -s 4
head -c 200000 /dev/urandom >"$OUT/big1.bin" && head -c 200000 /dev/urandom >"$OUT/big2.bin" &&
    mcopy -i "$image" "$OUT/big1.bin" "$OUT/big2.bin" ::/
if workload "$image" "$log"; then
    chunks=$(python3 - "$OUT" "$log" <<'PY'
import re, sys, zlib
out, log = sys.argv[1:3]
files = {'/big%d.bin' % k: open('%s/big%d.bin' % (out, k), 'rb').read() for k in (1, 2)}
good = bad = 0
for line in open(log, errors='replace'):
    m = re.match(r'tester: chunk (\S+) (\d+) (\d+) ([0-9a-f]+) status (\d+)$', line.strip())
    if m:
        name, at, n, crc, status = m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), m.group(5)
        ok = status == '0' and n == 1024 and '%08x' % zlib.crc32(files[name][at:at + n]) == crc
        good, bad = good + ok, bad + (not ok)
print(good, bad)
PY
)
    [ "$chunks" = "24 0" ] && grep -q "tester: stat overtook read yes" "$log" &&
        pass "server_answers_commands_in_flight_concurrently: 24 reads right, a stat overtook a read" ||
        fail server_answers_commands_in_flight_concurrently "chunks right/wrong: $chunks; $(grep -m1 'overtook' "$log")"
else
    fail server_answers_commands_in_flight_concurrently "no end, see $log"
fi

# A hostile client: commands no server may follow get their own errors
# (fs/protocol.h: 9 bad handle, 1 bad request, 12 invalid, 13 name too
# long, 4 not a directory, 11 busy, 2 not found), a flood of 28 reads is
# answered in full, and an honest read works afterwards.
image=$OUT/hostile.img log=$OUT/hostile.log
volume "$image" hostile 16384 -F 16 -s 4
want="open=0 bad_handle=9 data_past_region=1 data_wraps=1 path_with_nul=12 path_too_long=13 rename_one_path=1 unknown_op=1 unknown_flag=1 write_read_only_handle=9 readdir_on_file=4 unlink_open_file=11 dotdot=2 read_after=0"
if workload "$image" "$log"; then
    got=$(sed -n 's/^tester: hostile \([a-z_]*\) status \([0-9]*\)$/\1=\2/p' "$log" | paste -sd' ')
    [ "$got" = "$want" ] && grep -q "tester: hostile flood answered 28 of 28" "$log" &&
        grep -q "tester: hostile read 5000 bytes" "$log" &&
        pass "server_refuses_hostile_commands_and_keeps_serving: 13 refused, each with its status" ||
        fail server_refuses_hostile_commands_and_keeps_serving "got '$got'; $(grep -m1 flood "$log")"
else
    fail server_refuses_hostile_commands_and_keeps_serving "no end, see $log"
fi

# Power cuts, all on one FAT32 volume.
image=$OUT/power.img state=$OUT/power.json
volume "$image" power 40960 -F 32 -s 1
rm -f "$state"
lost=0 clean=0 said=""
for cut in $(seq 1 20); do
    log=$OUT/power$cut.log
    : >"$log"
    qemu_guest -nic none -display none -monitor none \
        -serial "file:$log" -kernel "$IMG" "${QEMU_DISK[@]}" \
        -drive "file=$image,if=none,format=raw,id=d0" </dev/null >"$log.qemu" 2>&1 &
    pid=$!
    for ((i = 0; i < 200; i++)); do grep -q "tester: synced" "$log" && break; sleep 0.05; done
    sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if ! grep -q "tester: synced" "$log"; then
        fail power_cut_$cut "the workload never synced a file, see $log"
        continue
    fi
    if ! out=$(python3 "$ROOT/tests/fs/power.py" "$state" "$log" "$image"); then
        lost=$((lost + 1))
        fail power_cut_$cut "$(echo "$out" | head -3 | tr '\n' ' ')"
    fi
    if why=$(fsck_clean "$image"); then clean=$((clean + 1)); else said="$said [$cut: $why]"; fi
done
[ $lost -eq 0 ] && pass "power_cuts_lose_nothing_synced: 20 cuts, $(echo "$out" | tail -1); fsck clean after $clean${said:+, said:$said}"

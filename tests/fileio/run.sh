#!/usr/bin/env bash
# The fileio example: its shell, typed at over the serial console (a UNIX
# socket, tests/fs/console.py), on a bare FAT32 volume, on an MBR disk and
# on a GPT disk whose first partition is not FAT (the block virtualiser
# must pick the first FAT one). Each session's answers are checked line by
# line; afterwards fsck.fat finds nothing wrong and mtools sees what the
# shell did.
set -u
source "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8
OUT=$BUILD/tests/fileio
IMAGE=$BUILD/examples/fileio/fileio.img
mkdir -p "$OUT"

# session DISK NAME: the shell's transcript of tests/fileio/session.txt on
# DISK, in $OUT/NAME.log; QEMU is killed by its PID.
session() {
    local sock=$OUT/$2.sock log=$OUT/$2.log
    rm -f "$sock"
    qemu_guest -nic none -display none -monitor none \
        -chardev "socket,id=s0,path=$sock,server=on,wait=on" -serial chardev:s0 -kernel "$IMAGE" \
        -global virtio-mmio.force-legacy=false \
        -drive "file=$1,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0 \
        </dev/null >"$log.qemu" 2>&1 &
    local pid=$!
    timeout 120 python3 "$ROOT/tests/fs/console.py" "$sock" "> " 20 <"$ROOT/tests/fileio/session.txt" >"$log"
    local status=$?
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return $status
}

# fill IMAGE[@@OFFSET]: the files every disk starts with.
fill() {
    mcopy -s -i "$1" "$ROOT/examples/fileio/files"/* ::/
}

# check NAME DISK[@@OFFSET]: the session's answers, fsck's verdict and the
# disk's contents afterwards.
check() {
    local log=$OUT/$1.log
    # (a boot message can land anywhere in a line, even between the echoed
    # characters of a command: it is cut out wherever it is)
    if ! diff <(sed -n '/^Pride fileio shell/,$p' "$log" | tr -d '\r' |
                    perl -0pe 's/(fs_fat|blk_virt|virtio-blk|pride): [^\n]*\n//g' |
                    grep -vE '^(fs_fat|blk_virt|virtio-blk|pride): ' |
                    sed 's/modified [0-9: -]* UTC/modified TIME UTC/') \
            "$ROOT/tests/fileio/expected.txt" >"$OUT/$1.diff"; then
        fail "fileio_$1_session" "$(head -6 "$OUT/$1.diff" | tr '\n' ' ')"
    else
        pass "fileio_$1_session"
    fi
    local note
    note=$(mtype -i "$2" "::/stuff/note.txt" 2>&1)
    [ "$note" = $'hello there\nagain' ] && ! mtype -i "$2" ::/gone.txt >/dev/null 2>&1 &&
        pass "fileio_$1_mtools_sees_changes" || fail "fileio_$1_mtools_sees_changes" "note.txt: $note"
}

check_fsck() {
    local out
    out=$(fsck.fat -n "$2" 2>&1)
    [ $? -eq 0 ] && [ "$(echo "$out" | wc -l)" -eq 2 ] && pass "fileio_$1_fsck_clean" ||
        fail "fileio_$1_fsck_clean" "$(echo "$out" | tail -n +2 | head -3 | tr '\n' ' ')"
}

# A bare FAT32 volume, as make run SYSTEM=fileio makes it.
bare=$OUT/bare.img
rm -f "$bare" && mkfs.fat -C -F 32 -s 1 -n PRIDE "$bare" 65536 >/dev/null && fill "$bare"
session "$bare" bare || fail fileio_bare_prompt "no prompt after a command, see $OUT/bare.log"
check bare "$bare"
check_fsck bare "$bare"

# Partitioned disks: a Linux partition first, then the FAT one (sectors
# 34816 on, 64 MiB), made by sfdisk, formatted by mkfs.fat at its offset.
for table in dos gpt; do
    disk=$OUT/$table.img part=$OUT/$table.part
    fat_type=$([ $table = dos ] && echo c || echo EBD0A0A2-B9E5-4433-87C0-68B6B72699C7)
    rm -f "$disk" "$part" && truncate -s 100M "$disk" &&
        printf 'label: %s\nstart=2048, size=32768, type=%s\nstart=34816, size=131072, type=%s\n' \
            "$table" "$([ $table = dos ] && echo 83 || echo 0FC63DAF-8483-4772-8E79-3D69D8477DE4)" \
            "$fat_type" | sfdisk -q "$disk" >/dev/null &&
        mkfs.fat -C -F 32 -s 1 "$part" 65536 >/dev/null && fill "$part" &&
        dd if="$part" of="$disk" bs=512 seek=34816 conv=notrunc status=none
    before=$(head -c $((34816 * 512)) "$disk" | sha256sum)
    session "$disk" $table || fail "fileio_${table}_prompt" "no prompt after a command, see $OUT/$table.log"
    [ "$(head -c $((34816 * 512)) "$disk" | sha256sum)" = "$before" ] &&
        pass "fileio_${table}_table_and_first_partition_untouched" ||
        fail "fileio_${table}_table_and_first_partition_untouched" "sectors before the FAT partition changed"
    dd if="$disk" of="$part" bs=512 skip=34816 count=131072 status=none
    check $table "$part"
    check_fsck $table "$part"
done

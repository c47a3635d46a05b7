#!/usr/bin/env bash
# File-system tests. The FAT library (lib/fat) on the host under
# ASan/UBSan: FAT12, FAT16 and FAT32 images made by mkfs.fat and filled by
# mcopy (long and non-ASCII names, nested directories, an empty file, a
# file of exactly one cluster, a 2 MiB file): every file is found by its
# path and read back whole, and its size and CRC match the host's; then
# 1,000 mutated copies of small FAT12 and FAT16 images are read the same
# way, and every read must end, without a sanitizer report.
set -u
source "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8 # mtools turns names into the locale's charset: UTF-8, as the guest's
OUT=$BUILD/tests/fs
BIN=$OUT/fatcheck
mkdir -p "$OUT"

if ! gcc -std=c11 -Wall -Wextra -Werror -O2 -g -I"$ROOT/include" -fsanitize=address,undefined \
        -fno-sanitize-recover=all -o "$BIN" "$ROOT/tests/fs/fatcheck.c" "$ROOT/lib/fat/fat.c" \
        2>"$OUT/fatcheck.build.log"; then
    fail fat_build "see $OUT/fatcheck.build.log"
    exit 0
fi
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1

# make_tree DIR BIG: the files every image gets (BIG: with a 2 MiB one).
make_tree() {
    rm -rf "$1" && mkdir -p "$1/dir1/dir2/dir3" "$1/Ünïcødé dir" &&
    echo hello >"$1/hello.txt" && : >"$1/empty" &&
    head -c 2048 /dev/urandom >"$1/onecluster.bin" &&
    echo deep >"$1/dir1/dir2/dir3/deep.txt" &&
    echo grüße >"$1/Ünïcødé dir/Grüße aus Köln.txt" &&
    echo x >"$1/a_rather_long_file_name_that_needs_several_entries_0123456789.dat" &&
    { [ "$2" = no ] || head -c 2097152 /dev/urandom >"$1/big.bin"; }
}

# expected DIR: "path size crc32" of every file below DIR, sorted.
expected() {
    python3 -c "
import os, sys, zlib
root = sys.argv[1]
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f)
        data = open(p, 'rb').read()
        print('/' + os.path.relpath(p, root), len(data), '%08x' % (zlib.crc32(data) & 0xffffffff))
" "$1" | LC_ALL=C sort
}

# make_image IMAGE KIB TREE MKFS-OPTIONS...: a bare FAT volume holding TREE.
make_image() {
    local image=$1 kib=$2 tree=$3
    shift 3
    rm -f "$image" && mkfs.fat -C "$@" "$image" "$kib" >/dev/null &&
        mcopy -s -i "$image" "$tree"/* ::/
}

make_tree "$OUT/tree" yes
want=$(expected "$OUT/tree")
for spec in "12 6144 -F 12 -s 4" "16 32768 -F 16 -s 4" "32 40960 -F 32 -s 1"; do
    set -- $spec
    fat=$1 image=$OUT/fat$1.img
    if ! make_image "$image" "$2" "$OUT/tree" "${@:3}"; then
        fail "fat${fat}_image" "mkfs.fat or mcopy failed"
        continue
    fi
    got=$(timeout 60 "$BIN" "$image" 2>"$OUT/fat$fat.err" | LC_ALL=C sort)
    if [ "$got" = "$want" ]; then
        pass "fat${fat}_every_file_read_whole"
    else
        fail "fat${fat}_every_file_read_whole" "$(diff <(echo "$want") <(echo "$got") | head -3 | tr '\n' ' ') $(head -c 200 "$OUT/fat$fat.err")"
    fi
done

make_tree "$OUT/small" no
for spec in "12 1024 -F 12 -s 1" "16 4096 -F 16 -s 1"; do
    set -- $spec
    image=$OUT/fuzz$1.img
    make_image "$image" "$2" "$OUT/small" "${@:3}"
    if out=$(timeout 300 "$BIN" "$image" 1000 "$1" 2>"$OUT/fuzz$1.err") && [[ $out == mutants* ]]; then
        pass "fat$1_mutants_read_safely: $out"
    else
        fail "fat$1_mutants_read_safely" "$out $(grep -m1 -E 'Sanitizer|runtime error' "$OUT/fuzz$1.err")"
    fi
done

# The same library in a PD over the block driver (tests/systems/fat_read): on
# each image the guest must list exactly the host's files, sizes and CRCs
# (the kernel shows bytes outside printable ASCII as \xNN).
want_guest=$(echo "$want" | python3 -c "
import sys
for line in sys.stdin.buffer.read().decode().splitlines():
    path, rest = line.rsplit(' ', 2)[0], ' '.join(line.rsplit(' ', 2)[1:])
    print(''.join(c if 0x20 <= ord(c) < 0x7f else ''.join('\\\\x%02x' % b for b in c.encode()) for c in path), rest)
" | LC_ALL=C sort)
for fat in 12 16 32; do
    log=$OUT/guest_fat$fat.log
    if boot_system "$BUILD/tests/systems/fat_read/fat_read.img" "$log" 60 "reader: (done|.*status)" \
            -global virtio-mmio.force-legacy=false \
            -drive "file=$OUT/fat$fat.img,if=none,format=raw,id=d0,readonly=on" \
            -device virtio-blk-device,drive=d0 && grep -q "reader: done 7" "$log"; then
        got=$(sed -n 's/^reader: \(\/.*\)$/\1/p' "$log" | LC_ALL=C sort)
        [ "$got" = "$want_guest" ] && pass "fat${fat}_guest_reads_every_file" ||
            fail "fat${fat}_guest_reads_every_file" "$(diff <(echo "$want_guest") <(echo "$got") | head -3 | tr '\n' ' ')"
    else
        fail "fat${fat}_guest_reads_every_file" "$(grep -m1 'reader:' "$log" || echo "no output, see $log")"
    fi
done

# The file-system server with a client of the POSIX calls and stdio
# (tests/systems/fs_basic), on a writable copy of each image: the guest
# must read exactly the host's files, then make its changes, after which
# fsck.fat finds nothing wrong and mtools sees exactly the changes.
pattern_crc=$(python3 -c "
import zlib
b = bytes((i * 7 + i // 251) & 255 for i in range(40000))
data = b''.join(b[at % 20000:at % 20000 + min(7000, 300000 - at)] for at in range(0, 300000, 7000))
print('%08x' % zlib.crc32(data))")
want_steps="fopen ok|fclose ok|append ok|mkdir ok|mkdir_again errno 17|rename ok|pattern ok|unlink ok|unlink_missing errno 2|rmdir_full errno 90|truncate ok|stat ok|pattern size 300000 dir 0|sync ok"

# host_view IMAGE: "path size crc32" of every file, as mtools sees them.
host_view() {
    rm -rf "$OUT/view" && mkdir -p "$OUT/view" && mcopy -s -n -i "$1" ::/* "$OUT/view/" && expected "$OUT/view"
}

# want_after: the host's tree as the guest's changes leave it.
want_after() {
    rm -rf "$OUT/after" && cp -r "$OUT/tree" "$OUT/after" && rm "$OUT/after/hello.txt" &&
        mkdir "$OUT/after/New Folder" && printf 'made by pride 42\nsecond line\n' >"$OUT/after/New Folder/Renamed File.txt" &&
        truncate -s 1000 "$OUT/after/onecluster.bin" && expected "$OUT/after" |
        sed '/^\/New Folder\/pattern.bin /d'
    echo "/New Folder/pattern.bin 300000 $pattern_crc"
}
after=$(want_after | LC_ALL=C sort)
for fat in 12 16 32; do
    image=$OUT/rw$fat.img log=$OUT/fs_basic_fat$fat.log
    cp "$OUT/fat$fat.img" "$image"
    if ! boot_system "$BUILD/tests/systems/fs_basic/fs_basic.img" "$log" 120 "tester: (done|program finished)" \
            -global virtio-mmio.force-legacy=false \
            -drive "file=$image,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0; then
        fail "fat${fat}_server_reads_every_file" "no end, see $log"
        continue
    fi
    got=$(sed -n 's/^tester: \(\/.*\)$/\1/p' "$log" | LC_ALL=C sort)
    [ "$got" = "$want_guest" ] && pass "fat${fat}_server_reads_every_file" ||
        fail "fat${fat}_server_reads_every_file" "$(diff <(echo "$want_guest") <(echo "$got") | head -3 | tr '\n' ' ')"
    steps=$(sed -n 's/^tester: \([a-z_]* \(ok\|errno [0-9]*\)\|pattern size .*\)$/\1/p' "$log" | paste -sd'|')
    [ "$steps" = "$want_steps" ] && pass "fat${fat}_server_changes_report_right_errno" ||
        fail "fat${fat}_server_changes_report_right_errno" "got $steps"
    fsck_out=$(fsck.fat -n "$image" 2>&1)
    [ $? -eq 0 ] && [ "$(echo "$fsck_out" | wc -l)" -eq 2 ] && pass "fat${fat}_server_changes_pass_fsck" ||
        fail "fat${fat}_server_changes_pass_fsck" "$(echo "$fsck_out" | tail -n +2 | head -3 | tr '\n' ' ')"
    view=$(host_view "$image" | LC_ALL=C sort)
    [ "$view" = "$after" ] && pass "fat${fat}_server_changes_seen_by_mtools" ||
        fail "fat${fat}_server_changes_seen_by_mtools" "$(diff <(echo "$after") <(echo "$view") | head -4 | tr '\n' ' ')"
done

# When things end badly: a full disk, power cuts (tests/fs/stress.sh).
bash "$ROOT/tests/fs/stress.sh"

# The write side (lib/fat/fat_write.c) on the host, against mkfs.fat,
# fsck.fat and mtools: its own script, whose PASS/FAIL lines count here.
bash "$ROOT/tests/fs/write.sh"

# The server on corrupt images (tests/fs/corrupt.sh).
bash "$ROOT/tests/fs/corrupt.sh"

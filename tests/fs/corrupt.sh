#!/usr/bin/env bash
# The FAT server (components/fs/fat.c) in the guest on corrupt volumes: the
# fs_basic system (tests/systems/fs_basic), whose client reads every file
# and then makes its changes, boots on mutated copies of a small FAT16 and
# a small FAT12 volume. Each disk holds the volume followed by a tail of
# marker sectors that belong to no volume, so a server that believes a
# corrupt boot sector or follows a cluster number past the end shows it
# there. On every mutant:
#  - the client must end ("tester: program finished") within the timeout:
#    the server answers every command, an error being an answer. The
#    timeout is 15 times what the intact volume took (at least 5 s): the
#    slowest sane mutant (a looping 4 MiB read) takes about 4 times as
#    long, so a mutant over it is stuck, or as good as stuck;
#  - the kernel reports no fault of any PD, and no PD says its stack
#    overflowed or its queue is corrupt;
#  - nothing is written outside the volume the boot sector describes (the
#    marker tail stays byte-identical), and nothing at all is written when
#    the server finds no volume.
# Mutants, 516 of each volume type (the two types run at once, a QEMU
# each): seeded random bytes (1..32) in the boot sector, the FATs, the
# root directory or the first data clusters, and targeted damage (loops
# in chains, cluster numbers past the end, sizes past the chain, broken
# long names, a volume larger than the disk, ...). Each is named by its
# seed and what was changed; a failing one keeps its image and log. The
# PASS line tallies how they went: mounted or refused, as on the intact
# volume, errors the client got, files it read more than once (a listing
# that goes round a loop).
# Set CORRUPT_SEED to try other random mutants, CORRUPT_RANDOM for more,
# CORRUPT_TIMEOUT for a fixed timeout in seconds,
# CORRUPT_KEEP=1 to keep every mutant, its log and what was changed.
set -u
source "$(dirname "$0")/../lib.sh"
export LC_ALL=C.UTF-8
OUT=$BUILD/tests/fs/corrupt
IMG=$BUILD/tests/systems/fs_basic/fs_basic.img
SEED=${CORRUPT_SEED:-1}
RANDOM_MUTANTS=${CORRUPT_RANDOM:-500} # per volume type, besides the targeted ones
TAIL_SECTORS=256
QEMU_DISK=(-global virtio-mmio.force-legacy=false -device virtio-blk-device,drive=d0)
# What the kernel prints for a PD fault (kernel/fault.c) or a trap or panic
# of its own (kernel/arch, kernel/print.c), and what a PD says before it
# stops serving (lib/co/program.c, components/fs/fat.c).
BAD='pride: fault:|pride: kernel (trap|panic)|overflowed its stack|a queue is corrupt'
# The client's steps on an intact volume (as tests/fs/run.sh expects them).
WANT_STEPS="fopen ok|fclose ok|append ok|mkdir ok|mkdir_again errno 17|rename ok|pattern ok|unlink ok|unlink_missing errno 2|rmdir_full errno 90|truncate ok|stat ok|pattern size 300000 dir 0|sync ok"
TARGETED="chain_loop loop_huge dir_loop dir_cycle start_beyond unlink_beyond next_beyond size_beyond_chain
          size_huge lfn_checksum lfn_sequence total_beyond_disk total_shrunk file_as_dir no_free_cluster cross_link"
rm -rf "$OUT" && mkdir -p "$OUT"

# The mutator: python3 -c "$MUTATE" IMAGE KIND SEED changes IMAGE (a whole
# disk) in place and prints "SECTORS WHAT": the volume's size as its boot
# sector now says (what the server may touch if it mounts it) and what was
# changed. KIND is one of $TARGETED, or random-REGION. Only FAT12/16 (the
# root directory has its own region; cluster numbers are 16 bits).
MUTATE=$(
    cat <<'EOF'
import random, struct, sys

disk, kind, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
img = bytearray(open(disk, 'rb').read())
g16 = lambda o: struct.unpack_from('<H', img, o)[0]
g32 = lambda o: struct.unpack_from('<I', img, o)[0]
p16 = lambda o, v: struct.pack_into('<H', img, o, v)
p32 = lambda o, v: struct.pack_into('<I', img, o, v)

# The geometry, from the boot sector as mkfs.fat left it.
spc, reserved, fats, root_entries, fat_sectors = img[13], g16(14), img[16], g16(17), g16(22)
total = g16(19) or g32(32)
root = reserved + fats * fat_sectors
data = root + (root_entries * 32 + 511) // 512
clusters = (total - data) // spc
bits = 12 if clusters < 4085 else 16
bad_mark = (1 << bits) - 9  # 0xff7 / 0xfff7: a bad cluster

def fat_get(c):
    base = reserved * 512
    if bits == 16:
        return g16(base + 2 * c)
    pair = g16(base + c + c // 2)
    return pair >> 4 if c & 1 else pair & 0xfff

def fat_set(c, v):  # in every FAT, so no copy tells the truth
    for copy in range(fats):
        base = (reserved + copy * fat_sectors) * 512
        if bits == 16:
            p16(base + 2 * c, v)
        else:
            o = base + c + c // 2
            pair = g16(o)
            p16(o, (pair & 0x000f) | (v << 4) if c & 1 else (pair & 0xf000) | v)

def chain(c):
    out = []
    while 2 <= c < clusters + 2 and len(out) <= clusters:
        out.append(c)
        c = fat_get(c)
    return out

def slots(first):  # byte offsets of a directory's entries; first 0: the root
    if first == 0:
        return [root * 512 + 32 * i for i in range(root_entries)]
    return [(data + (c - 2) * spc) * 512 + 32 * i for c in chain(first) for i in range(spc * 16)]

def entries(first):  # (name, offset, offsets of its long-name entries)
    out, lfn = [], []
    for o in slots(first):
        if img[o] == 0:
            break
        if img[o] == 0xe5:
            lfn = []
        elif img[o + 11] == 0x0f:
            lfn = [o] if img[o] & 0x40 else lfn + [o]
        else:
            short = img[o:o + 8].decode('latin-1').rstrip()
            if img[o + 8] != 0x20:
                short += '.' + img[o + 8:o + 11].decode('latin-1').rstrip()
            long = ''.join(bytes(img[l + 1:l + 11] + img[l + 14:l + 26] + img[l + 28:l + 32])
                           .decode('utf-16-le', 'replace') for l in reversed(lfn)).split('\0')[0]
            out.append((long or short, o, lfn))
            lfn = []
    return out

def find(path):  # the directory entry of path: (offset, long-name offsets)
    first = 0
    for part in path.strip('/').split('/'):
        hits = [e for e in entries(first) if e[0].lower() == part.lower()]
        if not hits:
            sys.exit('mutator: no %s on the volume' % path)
        _, o, lfn = hits[0]
        first = g16(o + 26)
    return o, lfn

start = lambda path: g16(find(path)[0] + 26)
what = kind
if kind.startswith('random-'):
    # 1..32 random bytes, each changed to another value, in one region,
    # in the part of it that is in use (the rest the server never reads):
    # the boot sector's parameters and signature; the FAT entries of the
    # clusters in use, in every FAT; the root's entries; the first 64 data
    # clusters, which hold every file and directory.
    region = kind[7:]
    used = max(c for c in range(2, clusters + 2) if fat_get(c))
    fat_bytes = (used + 1) * bits // 8 + 2
    root_used = next(i for i in range(root_entries) if img[root * 512 + 32 * i] == 0) + 1
    offsets = {'boot': list(range(11, 62)) + [510, 511],
               'fats': [(reserved + k * fat_sectors) * 512 + b for k in range(fats) for b in range(fat_bytes)],
               'root': range(root * 512, root * 512 + 32 * root_used),
               'data': range(data * 512, (data + 64 * spc) * 512)}[region]
    rng = random.Random(seed)
    changes = []
    for _ in range(rng.randint(1, 32)):
        o = rng.choice(offsets)
        old = img[o]
        img[o] ^= rng.randrange(1, 256)
        changes.append('%#x:%02x>%02x' % (o, old, img[o]))
    what = 'seed %d, %d bytes in the %s: %s' % (seed, len(changes), region, ' '.join(changes))
elif kind == 'chain_loop':  # a file's last cluster leads back to its first; truncating it walks the loop
    c = chain(start('/onecluster.bin'))
    fat_set(c[-1], c[0])
    what += ': FAT[%d] = %d (onecluster.bin, %d clusters)' % (c[-1], c[0], len(c))
elif kind == 'loop_huge':  # a looping chain and a size that never ends it: reading must stop
    o, _ = find('/chain.bin')
    c = chain(g16(o + 26))
    fat_set(c[-1], c[0])
    p32(o + 28, 0xfffffff0)
    what += ': FAT[%d] = %d (chain.bin, %d clusters), size 0xfffffff0' % (c[-1], c[0], len(c))
elif kind == 'dir_loop':  # a directory of two clusters, the second leading back to the first
    first = start('/dir1')
    c = chain(first)
    free = [o for o in slots(first) if img[o] == 0]
    for o in free:  # no end marker stops a listing before it follows the loop
        img[o] = 0xe5
    fat_set(c[-1], c[0])
    what += ': FAT[%d] = %d (dir1, %d clusters), its %d free entries marked deleted' % (
        c[-1], c[0], len(c), len(free))
elif kind == 'dir_cycle':  # dir1/dir2 is dir1 again: an endless tree
    o, _ = find('/dir1/dir2')
    p16(o + 26, start('/dir1'))
    what += ': dir1/dir2 starts at %d (dir1)' % start('/dir1')
elif kind in ('start_beyond', 'unlink_beyond'):  # a file (read, then truncated or unlinked) starts past the end
    name = '/onecluster.bin' if kind == 'start_beyond' else '/hello.txt'
    p16(find(name)[0] + 26, clusters + 2 + 5)
    what += ': %s starts at %d, the volume has clusters 2..%d' % (name, clusters + 7, clusters + 1)
elif kind == 'next_beyond':  # a chain leads past the end
    c = chain(start('/chain.bin'))
    fat_set(c[2], clusters + 2 + 5)
    what += ': FAT[%d] = %d (chain.bin), past cluster %d' % (c[2], clusters + 7, clusters + 1)
elif kind == 'size_beyond_chain':  # a 4-cluster file says it holds 1,000,000 bytes
    p32(find('/onecluster.bin')[0] + 28, 1000000)
    what += ': onecluster.bin size 1000000, chain of %d clusters' % len(chain(start('/onecluster.bin')))
elif kind == 'size_huge':  # a one-cluster file says it holds almost 4 GiB
    p32(find('/hello.txt')[0] + 28, 0xfffffff0)
    what += ': hello.txt size 0xfffffff0'
elif kind in ('lfn_checksum', 'lfn_sequence'):
    o, lfn = find('/A rather long file name that needs several entries.txt')
    if kind == 'lfn_checksum':  # the long name no longer belongs to its short entry
        for l in lfn:
            img[l + 13] ^= 0x5a
        what += ': checksum of %d long-name entries ^ 0x5a' % len(lfn)
    else:  # the first of the sequence claims more parts than follow
        img[lfn[0]] = 0x40 | (len(lfn) + 3)
        what += ': first of %d long-name entries numbered %d' % (len(lfn), len(lfn) + 3)
elif kind == 'total_beyond_disk':  # the volume claims one sector more than the disk has
    p16(19, 0)
    p32(32, len(img) // 512 + 1)
    what += ': total_sectors %d, disk %d' % (len(img) // 512 + 1, len(img) // 512)
elif kind == 'file_as_dir':  # a file's data, read and written as directory entries
    o, _ = find('/onecluster.bin')
    img[o + 11] = 0x10
    what += ': onecluster.bin has the directory attribute'
elif kind == 'no_free_cluster':  # every free cluster marked bad: the disk is full
    free = [c for c in range(2, clusters + 2) if fat_get(c) == 0]
    for c in free:
        fat_set(c, bad_mark)
    what += ': %d free clusters marked bad (%#x)' % (len(free), bad_mark)
elif kind == 'cross_link':  # two files share clusters: truncating one cuts the other
    c = chain(start('/chain.bin'))
    p16(find('/onecluster.bin')[0] + 26, c[1])
    what += ': onecluster.bin starts at %d, inside chain.bin' % c[1]
elif kind == 'total_shrunk':  # the volume ends at 3/4 of where it does: the rest is off limits
    p16(19, 0)
    p32(32, total * 3 // 4)
    what += ': total_sectors %d, was %d' % (total * 3 // 4, total)
else:
    sys.exit('mutator: unknown kind ' + kind)
with open(disk, 'r+b') as f:  # the disk only, in place
    f.write(img)
print(g16(19) or g32(32), what)
EOF
)

# make_tree DIR: the files each volume gets. The client reads them all and
# then changes /hello.txt, /onecluster.bin, /dir1 and makes "/New Folder";
# contents come from a fixed seed, so a mutant is the same from run to run.
make_tree() {
    rm -rf "$1" && mkdir -p "$1/dir1/dir2" && python3 -c "
import random, sys
r = random.Random(7)
files = {'hello.txt': b'hello\n', 'empty': b'', 'onecluster.bin': r.randbytes(2048),
         **{'dir1/f%02d.txt' % i: b'%d\n' % i for i in range(12)},  # dir1 takes two clusters
         'chain.bin': r.randbytes(20000), 'dir1/dir2/deep.txt': b'deep\n',
         'dir1/Another long name, in a directory.txt': b'another\n',
         'A rather long file name that needs several entries.txt': b'x\n'}
for name, data in files.items():
    open(sys.argv[1] + '/' + name, 'wb').write(data)
" "$1"
}

# make_disk DISK KIB MKFS-OPTIONS...: a FAT volume of KIB KiB holding the
# tree, then $TAIL_SECTORS marker sectors that are no part of it.
make_disk() {
    local disk=$1 kib=$2
    shift 2
    rm -f "$disk.vol" && mkfs.fat -C -i 0x50524944 "$@" "$disk.vol" "$kib" >/dev/null &&
        mcopy -s -i "$disk.vol" "$OUT/tree"/* ::/ &&
        python3 -c "
import sys
sys.stdout.buffer.write(b''.join((b'pride marker sector %06d ' % i).ljust(32, b'.') * 16 for i in range($TAIL_SECTORS)))
" >"$disk.tail" && [ "$(stat -c %s "$disk.tail")" -eq $((TAIL_SECTORS * 512)) ] &&
        cat "$disk.vol" "$disk.tail" >"$disk" && rm -f "$disk.vol" "$disk.tail"
}

ms() { echo $((${EPOCHREALTIME/./} / 1000)); } # the time now, in milliseconds

# boot DISK LOG SECONDS: fs_basic on DISK until the client ends, something
# is reported broken, or SECONDS pass (boot_system kills that QEMU by its
# PID); prints how many milliseconds it took.
boot() {
    local t0
    t0=$(ms)
    boot_system "$IMG" "$2" "$3" "tester: program finished|$BAD" "${QEMU_DISK[@]}" \
        -drive "file=$1,if=none,format=raw,id=d0" >/dev/null
    echo $(($(ms) - t0))
}

# first_change A B FROM: "sector N" of the first byte from sector FROM on
# that differs between A and B, or nothing if they are the same there.
first_change() {
    local at=$(($3 * 512)) byte
    byte=$(cmp -i "$at:$at" "$1" "$2" 2>/dev/null | sed -n 's/.* byte \([0-9]*\).*/\1/p')
    [ -n "$byte" ] && echo "sector $(((at + byte - 1) / 512))"
}

tester_lines() { grep -a '^tester: ' "$1"; }
errno_lines() { grep -a '^tester: .* errno [0-9]*$' "$1"; }
# repeats LOG: "N paths, PATH xK the most" if the client read some file
# more than once (a directory listed over and over), else nothing.
repeats() {
    local counts
    counts=$(sed -n 's/^tester: \(\/.*\) [0-9]* [0-9a-f]\{8\}$/\1/p' "$1" | sort | uniq -cd | sort -rn)
    [ -n "$counts" ] && echo "$counts" | awk 'NR == 1 {top = $0; sub(/^ *[0-9]+ /, "", top); k = $1}
        END {printf "%d paths, %s x%d the most", NR, top, k}'
}

make_tree "$OUT/tree"
# run_volume FAT KIB MKFS-OPTIONS...: the intact disk and every mutant of
# one volume type, one after another; its PASS/FAIL lines and a summary.
run_volume() {
    local started total=0 mounted=0 refused=0 as_clean=0 with_errors=0 extra_errnos=0
    local repeating=0 failed=0 slowest=0 errnos="" index=0 fat=$1 disk=$OUT/disk$1.img
    local run=$OUT/run$1.img
    started=$(ms)
    if ! make_disk "$disk" "$2" "${@:3}"; then
        fail "fat${fat}_corrupt_disk" "mkfs.fat, mcopy or the marker tail failed"
        return
    fi
    disk_sectors=$(($(stat -c %s "$disk") / 512))
    volume_sectors=$((disk_sectors - TAIL_SECTORS))

    # The unmutated disk first: the client's usual steps, and the marker
    # tail intact; else the mutants below would prove nothing.
    clean=$OUT/clean$fat.log
    cp "$disk" "$run"
    clean_ms=$(boot "$run" "$clean" 120)
    steps=$(sed -n 's/^tester: \([a-z_]* \(ok\|errno [0-9]*\)\|pattern size .*\)$/\1/p' "$clean" | paste -sd'|')
    where=$(first_change "$disk" "$run" "$volume_sectors")
    if grep -q "tester: program finished" "$clean" && [ "$steps" = "$WANT_STEPS" ] && [ -z "$where" ]; then
        pass "fat${fat}_server_clean_disk_with_marker_tail: $volume_sectors-sector volume, $TAIL_SECTORS marker sectors after it, $clean_ms ms"
    else
        fail "fat${fat}_server_clean_disk_with_marker_tail" "steps '$steps'${where:+, wrote the tail at $where} (see $clean)"
        return
    fi
    tester_lines "$clean" >"$OUT/clean$fat.tester"
    errno_lines "$clean" >"$OUT/clean$fat.errno"
    # Each mutant's timeout: 15 times the intact run, at least 5 s (see above).
    timeout=$(((15 * clean_ms + 999) / 1000))
    [ $timeout -ge 5 ] || timeout=5
    timeout=${CORRUPT_TIMEOUT:-$timeout}

    kinds="$TARGETED" regions=(boot fats root data)
    for ((r = 0; r < RANDOM_MUTANTS; r++)); do
        kinds+=" random-${regions[r % 4]}" # each region in turn
    done
    for kind in $kinds; do
        index=$((index + 1)) total=$((total + 1))
        seed=$((SEED * 100000 + fat * 1000 + index))
        name=fat${fat}_$(printf %02d $index)_$kind
        mutant=$OUT/$name.img log=$OUT/$name.log
        cp "$disk" "$mutant"
        if ! info=$(python3 -c "$MUTATE" "$mutant" "$kind" "$seed" 2>&1); then
            fail "fs_server_corrupt_$name" "the mutator failed: $info"
            failed=$((failed + 1))
            continue
        fi
        claimed=${info%% *} what=${info#* }
        cp "$mutant" "$run" # the server runs on a copy: the mutant is kept as made
        took=$(boot "$run" "$log" "$timeout")
        [ "$took" -gt "$slowest" ] && slowest=$took

        # What the server may write: the volume its boot sector describes,
        # if it mounted it; nothing if it found no volume.
        why=""
        if grep -q "fs_fat: FAT volume mounted" "$log"; then
            mounted=$((mounted + 1))
            from=$claimed
            [ "$claimed" -gt "$disk_sectors" ] &&
                why="mounted a $claimed-sector volume on a $disk_sectors-sector disk; "
        else
            grep -q "fs_fat: no FAT volume" "$log" && refused=$((refused + 1))
            from=0
        fi
        bad=$(grep -a -m1 -E "$BAD" "$log")
        again=$(repeats "$log")
        [ -n "$again" ] && repeating=$((repeating + 1))
        where=$(first_change "$mutant" "$run" "$from")
        if [ -n "$bad" ]; then
            why+="reported '$bad'"
        elif ! grep -q "tester: program finished" "$log"; then
            why+="no end in ${timeout}s (the intact volume: $clean_ms ms), after $(tester_lines "$log" | wc -l) client lines, the last '$(tester_lines "$log" | tail -n 1)'"
            [ -n "$again" ] && why+=", files read more than once: $again"
        fi
        [ -n "$where" ] && why+="${why:+; }wrote outside the volume ($from sectors) at $where$(
            [ "${where#sector }" -ge "$volume_sectors" ] && echo ", in the marker tail")"
        if [ -n "$why" ]; then
            failed=$((failed + 1))
            cp "$run" "$OUT/$name.after.img"
            echo "$what ($took ms)" >"$OUT/$name.txt"
            fail "fs_server_corrupt_$name" "$why [mutant: ${what:0:300}] (kept $mutant, $OUT/$name.after.img, $log)"
            continue
        fi

        # Tallies for the summary: how it went, besides being safe.
        cmp -s <(tester_lines "$log") "$OUT/clean$fat.tester" && as_clean=$((as_clean + 1))
        extra=$(errno_lines "$log" | grep -cvxF -f "$OUT/clean$fat.errno")
        [ "$extra" -gt 0 ] && with_errors=$((with_errors + 1)) extra_errnos=$((extra_errnos + extra))
        errnos+=" $(errno_lines "$log" | grep -vxF -f "$OUT/clean$fat.errno" | sed 's/.* errno //' | paste -sd' ')"
        [ -n "${CORRUPT_KEEP:-}" ] && echo "$what ($took ms)" >"$OUT/$name.txt" || rm -f "$mutant" "$log" "$log.qemu"
    done
    rm -f "$run"
    local elapsed=$((($(ms) - started + 500) / 1000)) histogram summary
    histogram=$(echo $errnos | tr ' ' '\n' | grep . | sort -n | uniq -c | awk '{printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1}')
    summary="$total mutants in ${elapsed}s (slowest boot ${slowest} ms), $mounted mounted, $refused refused, $as_clean ran as on the intact volume, $with_errors got errors ($extra_errnos errno lines beyond the intact run's: ${histogram:-none}), $repeating read a file more than once"
    if [ $failed -eq 0 ] && [ $total -gt 0 ]; then
        pass "fat${fat}_server_corrupt_images_safe: $summary; no hang, no fault, nothing written outside the volume"
    else
        echo "fat${fat}_server_corrupt_images: $failed failed of $summary" # the FAIL lines above count
    fi
}

# The two volume types at once, one QEMU each (the machine has two cores).
run_volume 16 4096 -F 16 -s 1 >"$OUT/fat16.out" &
fat16=$!
run_volume 12 1024 -F 12 -s 1 >"$OUT/fat12.out"
wait "$fat16"
cat "$OUT/fat16.out" "$OUT/fat12.out"

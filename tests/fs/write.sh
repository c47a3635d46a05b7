#!/usr/bin/env bash
# The FAT library's write side (lib/fat/fat_write.c) on the host under
# ASan/UBSan, through tests/fs/fatops.c (a small write-back cache that
# checks the library's use of it), against the Debian tools.
#
# On FAT12, FAT16 and FAT32 images made by mkfs.fat: files with short,
# long, mixed-case and non-ASCII names in nested directories, of 0 bytes,
# one cluster and several MiB; appends, overwrites in the middle, writes
# past the end, truncation down and up, renames (within and across
# directories, a file over a file, a directory over an empty one, into
# itself: refused), removal (a non-empty directory: refused). Every step
# is also done to a model tree on the host; then the library reads every
# file back, fsck.fat -n must find nothing, and mtools must list exactly
# the model's tree and hold exactly its contents. Refused changes (each
# with its status) must leave the image as it was. Then the disk is filled
# (NO_SPACE, exactly the free space written, everything else intact), a
# directory gets 300 files with one long prefix (short names ~N and
# hashed) and then holes, the fixed root of FAT12/16 is filled, and 1,000
# mutated small images run a fixed script: fatops must end, without a
# sanitizer report or a broken promise, and leave the sectors past the
# volume alone. Finally power cuts: a script of changes is cut at about
# 40 points among its sector writes, and what was synced before must
# survive every cut.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/fs/write
BIN=$OUT/fatops
mkdir -p "$OUT"

if ! gcc -std=c11 -Wall -Wextra -Werror -O2 -g -I"$ROOT/include" -fsanitize=address,undefined \
        -fno-sanitize-recover=all -o "$BIN" "$ROOT/tests/fs/fatops.c" "$ROOT/lib/fat/fat.c" \
        "$ROOT/lib/fat/fat_write.c" 2>"$OUT/fatops.build.log"; then
    fail fat_write_build "see $OUT/fatops.build.log"
    exit 0
fi
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1
export MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8 # mtools: names as UTF-8
NOW=1767225600                            # 2026-01-01 00:00:00 UTC
SCRIPT=$OUT/script EXPECT=$OUT/expect MODEL=$OUT/model

# ---- helpers ----

# A Python helper over a host tree (see its modes below).
tree_py() {
    python3 - "$@" <<'EOF'
import os, sys, zlib
mode, root = sys.argv[1], sys.argv[2]
def mt(p):  # mtools shows a character past U+FFFF as two '_'
    return ''.join('__' if ord(c) > 0xffff else c for c in p)
rows = []
for d, dirs, files in os.walk(root):
    rel = os.path.relpath(d, root)
    base = '' if rel == '.' else '/' + rel
    for n in dirs:
        rows.append((base + '/' + n, None))
    for n in files:
        data = open(os.path.join(d, n), 'rb').read()
        rows.append((base + '/' + n, (len(data), zlib.crc32(data) & 0xffffffff)))
for p, f in rows:
    if mode == 'tree':        # as mdir -/ -b lists it
        print('::' + mt(p) + ('/' if f is None else ''))
    elif mode == 'manifest':  # path, size and CRC32 of each file; dirs
        print(mt(p) + ('/' if f is None else ' %d %08x' % f))
    elif mode == 'gets' and f is not None:  # what fatops's get prints
        print('OK get %s %d %08x' % (p, f[0], f[1]))
    elif mode == 'getcmds' and f is not None:
        print('get "%s"' % p)
EOF
}

csort() { LC_ALL=C sort; }
crc_of() { python3 -c "import sys, zlib; print('%08x' % (zlib.crc32(open(sys.argv[1], 'rb').read()) & 0xffffffff))" "$1"; }

# new_script: an empty script, expectations and model tree.
new_script() { : >"$SCRIPT" && : >"$EXPECT" && rm -rf "$MODEL" && mkdir -p "$MODEL"; }

# op WANT COMMAND...: a script line and the status fatops must answer.
op() {
    local want=$1
    shift
    printf '%s\n' "$*" >>"$SCRIPT"
    echo "$want" >>"$EXPECT"
}

# The same change to the script and to the model.
w() { op OK write "\"$1\"" "$2" && printf '%s' "$2" >"$MODEL$1"; }
a() { op OK append "\"$1\"" "$2" && printf '%s' "$2" >>"$MODEL$1"; }
pw() { op OK pwrite "\"$1\"" "$2" "$3" && printf '%s' "$3" |
           dd of="$MODEL$1" bs=1 seek="$2" conv=notrunc status=none; }
put() { op OK put "\"$1\"" "\"$2\"" && cp "$2" "$MODEL$1"; }
md() { op OK mkdir "\"$1\"" && mkdir "$MODEL$1"; }
rmf() { op OK rm "\"$1\"" && rm "$MODEL$1"; }
rmd() { op OK rmdir "\"$1\"" && rmdir "$MODEL$1"; }
mvv() { op OK mv "\"$1\"" "\"$2\"" && rm -rf "$MODEL$2" && mv "$MODEL$1" "$MODEL$2"; }
tr_() { op OK truncate "\"$1\"" "$2" && truncate -s "$2" "$MODEL$1"; }

# run NAME IMAGE [OPTIONS...]: fatops on IMAGE with the script (kept as
# NAME.script); its output in NAME.out and NAME.err, its exit status as
# the answer.
run() {
    local name=$1 image=$2
    shift 2
    cp "$SCRIPT" "$OUT/$name.script"
    timeout 120 "$BIN" -t "$NOW" "$@" "$image" <"$SCRIPT" >"$OUT/$name.out" 2>"$OUT/$name.err"
}

# why NAME: the first sign of trouble in NAME.err.
why() {
    grep -m3 -E 'violation|Sanitizer|runtime error|ERROR' "$OUT/$1.err" | tr '\n' ' ' | cut -c1-600
}

# check_run NAME RC: fatops ended cleanly, and every command answered
# what the script expects (the first difference shown).
check_run() {
    local name=$1 rc=$2 got
    if [ "$rc" -eq 0 ]; then
        pass "${name}_no_violations"
    else
        fail "${name}_no_violations" "exit $rc: $(why "$name")"
    fi
    got=$(tail -n +2 "$OUT/$name.out" | cut -d' ' -f1)
    if [ "$got" = "$(cat "$EXPECT")" ]; then
        pass "${name}_statuses"
    else
        local n
        n=$(diff <(echo "$got") "$EXPECT" | grep -m1 -oE '^[0-9]+' || echo 1)
        fail "${name}_statuses" "line $n: '$(sed -n "${n}p" "$SCRIPT" | cut -c1-120)' answered '$(sed -n "$((n + 1))p" "$OUT/$name.out" | cut -c1-200)', want $(sed -n "${n}p" "$EXPECT")"
    fi
}

# check_fsck NAME IMAGE: fsck.fat -n finds nothing wrong.
check_fsck() {
    local out
    if out=$(timeout 60 fsck.fat -n "$2" 2>&1) && [ "$(echo "$out" | wc -l)" -le 2 ]; then
        pass "${1}_fsck_clean"
    else
        fail "${1}_fsck_clean" "$(echo "$out" | tail -n +2 | head -12 | tr '\n' ' ' | cut -c1-900)"
    fi
}

# check_mtools NAME IMAGE: mdir lists exactly the model's tree, and mcopy
# copies out exactly its contents.
check_mtools() {
    local name=$1 image=$2 want got
    want=$(tree_py tree "$MODEL" | csort)
    got=$(timeout 60 mdir -/ -b -i "$image" :: 2>&1 | csort)
    if [ "$got" = "$want" ]; then
        pass "${name}_mdir_tree"
    else
        fail "${name}_mdir_tree" "$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -6 | tr '\n' ' ')"
    fi
    rm -rf "$OUT/copy" && mkdir "$OUT/copy"
    timeout 60 mcopy -s -n -i "$image" '::/*' "$OUT/copy/" >/dev/null 2>&1
    want=$(tree_py manifest "$MODEL" | csort)
    got=$(tree_py manifest "$OUT/copy" | csort)
    if [ "$got" = "$want" ]; then
        pass "${name}_mcopy_contents"
    else
        fail "${name}_mcopy_contents" "$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -6 | tr '\n' ' ')"
    fi
}

# check_gets NAME: the library read back every file as the model holds it.
check_gets() {
    local want got
    want=$(tree_py gets "$MODEL" | csort)
    got=$(grep -E '^[A-Z_]+ get ' "$OUT/$1.out" | csort)
    if [ "$got" = "$want" ]; then
        pass "${1}_reads_back_every_file"
    else
        fail "${1}_reads_back_every_file" "$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -4 | tr '\n' ' ')"
    fi
}

# image IMAGE KIB MKFS-OPTIONS...: an empty volume.
image() {
    local img=$1 kib=$2
    shift 2
    rm -f "$img" && mkfs.fat -C "$@" "$img" "$kib" >/dev/null 2>&1
}

# random FILE BYTES
random() { head -c "$2" /dev/urandom >"$1"; }

# ---- 1. the tree: every kind of change ----

# tree_script CLUSTER_BYTES BIG_BYTES: the changes, to script and model.
tree_script() {
    local cb=$1 data=$OUT/data
    mkdir -p "$data"
    random "$data/one" "$cb" && random "$data/big" "$2" && random "$data/deep" 100000 &&
        random "$data/shrink" $((cb * 3 + 17))
    new_script
    md /dir1 && md /dir1/dir2 && md /dir1/dir2/dir3
    w /hello.txt "hello, world" && w /readme.txt "a lower-case 8.3 name"
    w /UPPER.TXT "an upper-case 8.3 name" && w /MixedCase.Txt "mixed case"
    w "/a rather long file name that needs several entries 0123456789.dat" "long"
    w "/a long name.txt" "its short name is taken below"
    md "/Ünïcødé dir" && w "/Ünïcødé dir/Grüße aus Köln.txt" "grüße"
    w "/Ünïcødé dir/日本語のファイル名.txt" "nihongo" && w "/emoji 😀 name.txt" "a surrogate pair"
    w /empty "" && put /onecluster.bin "$data/one" && put /big.bin "$data/big"
    put /dir1/dir2/dir3/deep.bin "$data/deep" && put /dir1/shrink.bin "$data/shrink"
    a /hello.txt " and more" && a /appended.txt "first" && a /appended.txt ", second"
    pw /big.bin 1000000 "OVERWRITTEN IN THE MIDDLE" && pw /big.bin $((cb * 5 - 3)) "across a cluster edge"
    w /dir1/gap.txt "start" && pw /dir1/gap.txt $((cb * 2 + 700)) "after a gap"
    tr_ /dir1/dir2/dir3/deep.bin 5000 && tr_ /onecluster.bin $((cb + 1000))
    tr_ /dir1/shrink.bin 0 && a /dir1/shrink.bin "regrown" && tr_ /dir1/shrink.bin $((cb * 2))
    mvv /hello.txt /dir1/hello.txt && mvv /UPPER.TXT /renamed.txt
    mvv /MixedCase.Txt /MIXEDcase.TXT
    w /victim.txt "old contents" && w /winner.txt "new contents" && mvv /winner.txt /victim.txt
    w "/Ünïcødé dir/target.txt" "replaced" && mvv /appended.txt "/Ünïcødé dir/target.txt"
    md /movedir && w /movedir/inner.txt "inner" && mvv /movedir /dir1/dir2/movedir
    md /emptytarget && md /srcdir && w /srcdir/f.txt "f" && mvv /srcdir /emptytarget
    md /gone && rmd /gone && w /gone.txt x && rmf /gone.txt
    w /case.txt "case" && mvv /case.txt /CASE.TXT && op OK mv /readme.txt /readme.txt
    w /abcdefghijklm "13 units: one whole long-name entry" && w "/$(printf 'n%.0s' {1..255})" "255"
    md /dir1/slot && md /srcdir2 && w /srcdir2/g.txt "g" && mvv /srcdir2 /dir1/slot
    md /dir1/up && w /dir1/up/y.txt "y" && mvv /dir1/up /up
    op OK stat /readme.txt && op OK stat /dir1/dir2/movedir
    op OK ls / && op OK ls "\"/Ünïcødé dir\"" && op OK df
    tree_py getcmds "$MODEL" >>"$SCRIPT" && tree_py getcmds "$MODEL" | sed 's/.*/OK/' >>"$EXPECT"
    op OK stats
}

# refused_test NAME IMAGE: changes the library must refuse, on a copy of
# the tree's image: each its status, and the image left as it was.
refused_test() {
    local name=$1_refused img=$OUT/$1_refused.img alias
    cp "$2" "$img"
    : >"$SCRIPT" && : >"$EXPECT"
    # the short name the library gave "a long name.txt", as mtools shows it
    alias=$(mdir -i "$img" ::/ 2>/dev/null | sed -n 's/^\([^ ]*\) *\([^ ]*\) .*  a long name\.txt$/\1.\2/p')
    op EXISTS mkdir "\"/${alias:-ALONGN~1.TXT}\"" && op EXISTS write "\"/${alias:-ALONGN~1.TXT}\"" x
    op BAD_PATH mkdir /bad:name && op BAD_PATH mv /readme.txt /bad:name
    op INVALID mv /dir1 /dir1/dir2/dir1 && op INVALID mv /dir1/dir2 /dir1/dir2/dir3/x
    op NOT_EMPTY mv /dir1/dir2/movedir "\"/Ünïcødé dir\""
    op IS_DIR mv /renamed.txt /dir1 && op NOT_DIR mv /emptytarget /readme.txt
    op EXISTS mkdir /dir1 && op EXISTS mkdir /README.TXT && op EXISTS mkdir "\"/Ünïcødé DIR\""
    op NOT_EMPTY rmdir /dir1 && op NOT_DIR rmdir /readme.txt && op IS_DIR rm /dir1
    op NOT_FOUND rm /nonexistent && op NOT_FOUND rm /dir1/nonexistent
    op NOT_FOUND mkdir /nonexistent/sub && op NOT_FOUND write /nonexistent/file.txt x
    op NOT_DIR mkdir /readme.txt/sub && op BAD_PATH write /bad:name x
    op BAD_PATH mkdir relative && op BAD_PATH write "/$(printf 'n%.0s' {1..256})" x
    op INVALID rmdir / && op INVALID rm / && op NOT_FOUND mv /nonexistent /x
    op NOT_FOUND mv /readme.txt /nonexistent/readme.txt
    run "$name" "$img"
    check_run "$name" $?
    cmp -s "$2" "$img" && pass "${name}_image_unchanged" ||
        fail "${name}_image_unchanged" "$(cmp "$2" "$img" | head -1); fsck.fat: $(fsck.fat -n "$img" 2>&1 | sed -n 2,4p | tr '\n' ' ')"
}

# nospace_test NAME IMAGE: on copies of the tree's image, a truncation, a
# write past the end and a file, each larger than the free space: each
# NO_SPACE, and the volume left consistent (fsck.fat) and committed.
nospace_test() {
    local name=$1_nospace i=0 line
    for line in "truncate /dir1/gap.txt 4000000000" "pwrite /dir1/gap.txt 4000000000 x" \
            "put /huge.bin $OUT/data/huge"; do
        i=$((i + 1))
        cp "$2" "$OUT/$name$i.img"
        : >"$SCRIPT" && : >"$EXPECT"
        op NO_SPACE "$line" && op OK stat /dir1/gap.txt
        run "$name$i" "$OUT/$name$i.img"
        check_run "$name$i" $?
        check_fsck "$name$i" "$OUT/$name$i.img"
    done
}

# check_times NAME IMAGE: the library's own times, and mtools's view of
# them; then a change a day, an hour, a minute and a second later (FAT
# keeps even seconds) moves the write time alone, and a rename neither.
check_times() {
    local out=$OUT/$1.out later=$((NOW + 90061))
    if grep -q "^OK stat /readme.txt file size=21 cluster=[0-9]* mtime=$NOW ctime=$NOW$" "$out" &&
            grep -q "^OK stat /dir1/dir2/movedir dir size=0 cluster=[0-9]* mtime=$NOW ctime=$NOW$" "$out" &&
            mdir -i "$2" ::/ 2>/dev/null | grep -q '^readme   txt .* 2026-01-01   0:00'; then
        pass "${1}_timestamps"
    else
        fail "${1}_timestamps" "$(grep '^[A-Z_]* stat ' "$out" | tr '\n' ' ') mdir: $(mdir -i "$2" ::/ 2>&1 | grep -i readme)"
    fi
    : >"$SCRIPT" && : >"$EXPECT"
    a /readme.txt "!" && mvv /renamed.txt /renamed2.txt && mvv /renamed2.txt /renamed.txt
    op OK stat /readme.txt && op OK stat /renamed.txt
    run "${1}_later" "$2" -t "$later"
    check_run "${1}_later" $?
    out=$OUT/${1}_later.out
    if grep -q "^OK stat /readme.txt file size=22 cluster=[0-9]* mtime=$((later - 1)) ctime=$NOW$" "$out" &&
            grep -q "^OK stat /renamed.txt file size=[0-9]* cluster=[0-9]* mtime=$NOW ctime=$NOW$" "$out" &&
            mdir -i "$2" ::/ 2>/dev/null | grep -q '^readme   txt .* 2026-01-02   1:01'; then
        pass "${1}_later_write_time"
    else
        fail "${1}_later_write_time" "$(grep '^[A-Z_]* stat ' "$out" | tr '\n' ' ') mdir: $(mdir -i "$2" ::/ 2>&1 | grep -i readme)"
    fi
}

# check_names NAME IMAGE: mtools sees the long names, and a lower-case 8.3
# name as such (its short entry's case bits, no long name needed).
check_names() {
    local list
    list=$(mdir -/ -b -i "$2" :: 2>&1)
    if grep -qxF '::/a rather long file name that needs several entries 0123456789.dat' <<<"$list" &&
            grep -qxF '::/Ünïcødé dir/Grüße aus Köln.txt' <<<"$list" &&
            grep -qxF '::/MIXEDcase.TXT' <<<"$list"; then
        pass "${1}_mtools_sees_long_names"
    else
        fail "${1}_mtools_sees_long_names" "$(echo "$list" | head -8 | tr '\n' ' ')"
    fi
    if grep -qxF '::/readme.txt' <<<"$list" && grep -qxF '::/renamed.txt' <<<"$list"; then
        pass "${1}_mtools_sees_lower_case_8.3"
    else
        fail "${1}_mtools_sees_lower_case_8.3" "$(echo "$list" | grep -i -e readme -e renamed | tr '\n' ' ')"
    fi
}

# check_df NAME IMAGE: the library's free count is fsck.fat's.
check_df() {
    local df used total
    df=$(grep -m1 '^OK df ' "$OUT/$1.out")
    read -r used total < <(fsck.fat -n "$2" 2>&1 | sed -n 's/.* \([0-9]*\)\/\([0-9]*\) clusters$/\1 \2/p')
    if [[ $df =~ free=([0-9]+)\ clusters=([0-9]+) ]] && [ "${BASH_REMATCH[2]}" = "$total" ] &&
            [ $((BASH_REMATCH[2] - BASH_REMATCH[1])) = "$used" ]; then
        pass "${1}_free_count_is_fsck_count"
    else
        fail "${1}_free_count_is_fsck_count" "fatops: '$df'; fsck.fat: $used/$total clusters used"
    fi
}

# ---- 2. a full disk ----

# fill_test NAME IMAGE: fill the disk; NO_SPACE with exactly the free
# space written; nothing else touched; then the space back.
fill_test() {
    local name=$1_fill img=$2 free cb bytes crc
    : >"$SCRIPT" && : >"$EXPECT"
    op OK df && op NO_SPACE fill /fill.bin && op OK df && op NO_SPACE mkdir /nospace
    op NO_SPACE append /empty x
    run "$name" "$img"
    check_run "$name" $?
    free=$(sed -n 's/^OK df free=\([0-9]*\) .*cluster_bytes=\([0-9]*\)$/\1 \2/p' "$OUT/$name.out" | head -1)
    read -r free cb <<<"$free"
    read -r bytes crc < <(sed -n 's/^NO_SPACE fill \/fill.bin \([0-9]*\) \([0-9a-f]*\)$/\1 \2/p' "$OUT/$name.out")
    if [ -n "${bytes:-}" ] && [ "$bytes" = $((free * cb)) ] && grep -q '^OK df free=0 ' "$OUT/$name.out"; then
        pass "${name}_writes_all_free_space"
    else
        fail "${name}_writes_all_free_space" "wrote ${bytes:-?} bytes, free before: ${free:-?} clusters of ${cb:-?}; $(grep '^[A-Z_]* df' "$OUT/$name.out" | tr '\n' ' ')"
    fi
    check_fsck "$name" "$img"
    mtype -i "$img" ::/fill.bin >"$OUT/fill.bin" 2>/dev/null
    [ "$(crc_of "$OUT/fill.bin")" = "${crc:-none}" ] && pass "${name}_file_reads_back" ||
        fail "${name}_file_reads_back" "mtools CRC $(crc_of "$OUT/fill.bin"), fatops wrote ${crc:-?}"
    cp "$OUT/fill.bin" "$MODEL/fill.bin"
    check_mtools "$name" "$img"
    : >"$SCRIPT" && : >"$EXPECT"
    rmf /fill.bin && op OK df
    run "${name}_freed" "$img"
    check_run "${name}_freed" $?
    grep -q "^OK df free=$free " "$OUT/${name}_freed.out" && pass "${name}_space_back" ||
        fail "${name}_space_back" "$(grep '^[A-Z_]* df' "$OUT/${name}_freed.out"), want free=$free"
    check_fsck "${name}_freed" "$img"
}

# ---- 3. many names in one directory ----

# many_test NAME IMAGE: 300 names with one long prefix (short names
# ~1..~4, then hashed); then every other one removed and 60 others put in
# the holes.
many_test() {
    local name=$1_many img=$2 i
    : >"$SCRIPT" && : >"$EXPECT"
    md /many
    for ((i = 0; i < 300; i++)); do w "/many/Common long prefix $i.txt" "file $i"; done
    op OK ls /many
    many_checks "$name" "$img" 300
    : >"$SCRIPT" && : >"$EXPECT"
    for ((i = 0; i < 300; i += 2)); do rmf "/many/Common long prefix $i.txt"; done
    for ((i = 0; i < 60; i++)); do w "/many/Common long prefix again $i.dat" "again $i"; done
    op OK ls /many
    many_checks "${name}_holes" "$img" 210
}

# many_checks NAME IMAGE COUNT: the script run; /many lists COUNT names
# in the library and in mtools, fsck is clean, the short names unique.
many_checks() {
    local name=$1 img=$2 shorts
    run "$name" "$img"
    check_run "$name" $?
    grep -q "^OK ls /many $3 " "$OUT/$name.out" && pass "${name}_lists_$3" ||
        fail "${name}_lists_$3" "$(grep '^[A-Z_]* ls' "$OUT/$name.out" | cut -c1-100)"
    check_fsck "$name" "$img"
    check_mtools "$name" "$img"
    shorts=$(mdir -i "$img" ::/many 2>/dev/null | grep -E '^[^ ].{11} ' | cut -c1-12 | csort)
    if [ "$(echo "$shorts" | wc -l)" -eq $(($3 + 2)) ] && [ -z "$(echo "$shorts" | uniq -d)" ]; then
        pass "${name}_short_names_unique"
    else
        fail "${name}_short_names_unique" "$(echo "$shorts" | wc -l) short names (with . and ..), repeated: $(echo "$shorts" | uniq -d | head -3 | tr '\n' ' ')"
    fi
}

# ---- 4. a full fixed root (FAT12/16) ----

# root_test FAT SPC: a new volume's root filled with one-entry names, then a
# directory, a rename to a long name and a file refused; one removed
# makes room.
root_test() {
    local name=fat$1_root img=$OUT/root$1.img entries i
    if ! image "$img" 6144 -F "$1" -s "$2"; then
        fail "${name}_image" "mkfs.fat failed"
        return
    fi
    entries=$(python3 -c "import sys; d = open(sys.argv[1], 'rb').read(512); print(d[17] | d[18] << 8)" "$img")
    new_script
    for ((i = 0; i < entries + 5; i++)); do
        if [ "$i" -lt "$entries" ]; then w "/F$i.TXT" "$i"; else op NO_SPACE write "/F$i.TXT" x; fi
    done
    op NO_SPACE mkdir /OVERFLOW && op NO_SPACE mkdir "\"/a long directory name\""
    op NO_SPACE mv /F1.TXT "\"/a long name for F1.txt\""
    rmf /F0.TXT && md /NEWDIR && w /NEWDIR/inside.txt "inside"
    run "$name" "$img"
    check_run "$name" $?
    check_fsck "$name" "$img"
    check_mtools "$name" "$img"
}

# ---- 5. mutated images ----

MUTANT_SCRIPT='ls /
get /hello.txt
append /hello.txt more text
write /new.txt a new file
mkdir /newdir
put /newdir/data.bin DATA
write "/newdir/a long name for the mutant test.txt" x
mv /new.txt /newdir/moved.txt
mv /dir1 /newdir/dir1
truncate /onecluster.bin 100
truncate /hello.txt 5000
pwrite /hello.txt 3000 in the middle
rm /empty
rm "/a_rather_long_file_name_that_needs_several_entries.dat"
rmdir /newdir
mv /newdir/moved.txt /moved.txt
ls /newdir
FILL
df
sync'

# mutants FAT KIB SPC COUNT SEED0 FILL: COUNT mutated copies of a small
# volume (with marker sectors after it) run the fixed script.
mutants() {
    local fat=$1 kib=$2 name=fat$1_mutants base=$OUT/fat$1_mutants.base result
    local tree=$OUT/mutant_tree
    rm -rf "$tree" && mkdir -p "$tree/dir1/dir2" && echo hello >"$tree/hello.txt" && : >"$tree/empty" &&
        random "$tree/onecluster.bin" $(($3 * 512)) && echo deep >"$tree/dir1/dir2/deep.txt" &&
        echo x >"$tree/a_rather_long_file_name_that_needs_several_entries.dat"
    if ! image "$base" "$kib" -F "$fat" -s "$3" || ! mcopy -s -i "$base" "$tree"/* ::/; then
        fail "${name}_image" "mkfs.fat or mcopy failed"
        return
    fi
    python3 -c "import sys; sys.stdout.buffer.write(b'MARKER!\n' * 4096)" >>"$base"
    random "$OUT/mutant.data" 20000
    printf '%s\n' "$MUTANT_SCRIPT" | sed "s|DATA|$OUT/mutant.data|; s|^FILL$|$6|" >"$OUT/$name.script"
    result=$(mutant_runs "$base" "$OUT/$name" $((kib * 2)) "$4" "$5")
    if [[ $result == "bad 0;"* ]]; then
        pass "${name}_safe: $4 mutants, ${result#bad 0; }"
    else
        fail "${name}_safe" "$result"
    fi
}

# mutant_runs BASE PREFIX VOLUME_SECTORS COUNT SEED0: the runs, each on a
# fresh copy, with a time limit; the image must keep its size and the
# marker after the volume. One line: "bad N; ..." (a failed run's output
# is kept as PREFIX.SEED.out/.err; fatops -M SEED on BASE repeats it).
mutant_runs() {
    python3 - "$BIN" "$NOW" "$@" <<'EOF'
import concurrent.futures, os, re, shutil, subprocess, sys
fatops, now, base, prefix, vol, count, seed0 = sys.argv[1:]
vol, count, seed0 = int(vol), int(count), int(seed0)
script, clean = open(prefix + '.script', 'rb').read(), open(base, 'rb').read()
def one(seed):  # (mounted, what went wrong or None)
    img = '%s.%d.img' % (prefix, seed)
    shutil.copyfile(base, img)
    try:
        r = subprocess.run([fatops, '-t', now, '-s', str(vol), '-M', str(seed), img],
                           input=script, capture_output=True, timeout=10)
        rc, out, err = r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired as e:
        rc, out, err = 'timeout', e.stdout or b'', e.stderr or b''
    after = open(img, 'rb').read()
    os.remove(img)
    why = []
    if rc != 0:
        m = re.search(rb'(violation.*|.*Sanitizer.*|.*runtime error.*)', err)
        why.append('exit %s %s' % (rc, (m.group(0) if m else err[-200:]).decode(errors='replace')))
    if len(after) != len(clean) or after[vol * 512:] != clean[vol * 512:]:
        why.append('the image size or the sectors past the volume changed')
    if why:
        open('%s.%d.out' % (prefix, seed), 'wb').write(out)
        open('%s.%d.err' % (prefix, seed), 'wb').write(err)
    return out.startswith(b'OK mount'), 'seed %d: %s' % (seed, '; '.join(why)) if why else None
with concurrent.futures.ThreadPoolExecutor(2) as pool:  # two at a time: the time limit
    results = list(pool.map(one, range(seed0, seed0 + count)))
mounted = sum(m for m, _ in results)
bad = [w for _, w in results if w]
print('bad %d; %d mounted, %d refused %s' % (len(bad), mounted, count - mounted, ' | '.join(bad[:3])))
EOF
}

# ---- 6. power cuts ----

# cut_test NAME FAT KIB SPC: files synced, then a script of changes cut
# after every Nth sector write; what was synced must survive every cut.
cut_test() {
    local name=$1_cuts base=$OUT/$1_cuts.base total result
    if ! image "$base" "$3" -F "$2" -s "$4"; then
        fail "${name}_image" "mkfs.fat failed"
        return
    fi
    random "$OUT/cut.data" 30000 && random "$OUT/cut.data2" 50000
    new_script
    w /keep.txt "synced before the cut" && put /keep.bin "$OUT/cut.data" && md /d
    w /d/old.txt "renamed during the cut" && w /d/victim.txt "removed during the cut"
    op OK sync
    run "${name}_setup" "$base"
    check_run "${name}_setup" $?
    printf '%s\n' "put /new.bin \"$OUT/cut.data2\"" 'write "/d/a new long name.txt" new' \
        'mv /d/old.txt /d/renamed.txt' 'rm /d/victim.txt' 'mkdir /e' 'mv /d /e/d' \
        'truncate /new.bin 1000' 'sync' >"$OUT/$name.script"
    cp "$base" "$OUT/$name.img" && cp "$OUT/$name.script" "$SCRIPT" && run "${name}_full" "$OUT/$name.img"
    total=$(sed -n 's/.*violations, \([0-9]*\) sectors written$/\1/p' "$OUT/${name}_full.err")
    result=$(cut_runs "$base" "$OUT/$name" "${total:-0}" "$OUT/cut.data")
    if [[ $result == "bad 0;"* ]] && [ "${total:-0}" -gt 0 ]; then
        pass "${name}_nothing_synced_lost: ${result#bad 0; }"
    else
        fail "${name}_nothing_synced_lost" "${total:-no} sector writes; $result"
    fi
}

# cut_runs BASE PREFIX TOTAL KEEP_BIN: about 40 cuts spread over TOTAL
# writes; after each, mtools must find the synced files whole and the
# renamed one under one of its names, and fsck.fat must find no file
# longer than its chain (data goes before the FAT, the entry after both).
# One line: "bad N; ...".
cut_runs() {
    python3 - "$BIN" "$NOW" "$@" <<'EOF'
import concurrent.futures, os, re, shutil, subprocess, sys
fatops, now, base, prefix, total, keep_bin = sys.argv[1:]
total, script = int(total), open(prefix + '.script', 'rb').read()
keep = open(keep_bin, 'rb').read()
def mtype(img, path):
    r = subprocess.run(['mtype', '-i', img, '::' + path], capture_output=True, timeout=10)
    return r.stdout if r.returncode == 0 else None
def damage(img, n):
    shutil.copyfile(base, img)
    r = subprocess.run([fatops, '-t', now, '-c', str(n), img], input=script,
                       capture_output=True, timeout=20)
    if r.returncode:
        return 'exit %d: %s' % (r.returncode, r.stderr.decode(errors='replace')[-300:])
    if mtype(img, '/keep.txt') != b'synced before the cut' or mtype(img, '/keep.bin') != keep:
        return 'a file synced before the cut is lost'
    names = ['/d/old.txt', '/d/renamed.txt', '/e/d/old.txt', '/e/d/renamed.txt']
    if not any(mtype(img, p) == b'renamed during the cut' for p in names):
        return 'the renamed file is under neither name'
    fsck = subprocess.run(['fsck.fat', '-n', img], capture_output=True, timeout=20).stdout.decode()
    for size, chain in re.findall(r'File size is (\d+) bytes, cluster chain length is (\d+)', fsck):
        if int(size) > int(chain):
            return 'a file longer than its chain: ' + ' '.join(fsck.split('\n')[1:5])
    return None
def one(n):
    img = '%s.%d.img' % (prefix, n)
    why = damage(img, n)
    os.remove(img)
    return 'cut after %d writes: %s' % (n, why) if why else None
cuts = range(0, total + 1, total // 40 + 1)
with concurrent.futures.ThreadPoolExecutor(2) as pool:
    bad = [w for w in pool.map(one, cuts) if w]
cuts = len(cuts)
print('bad %d; %d cuts in %d sector writes %s' % (len(bad), cuts, total, ' | '.join(bad[:3])))
EOF
}

# ---- the runs ----

for spec in "12 6144 4 3000000" "16 32768 2 5000000" "32 40960 1 5000000"; do
    set -- $spec
    fat=$1 img=$OUT/fat$1.img name=fat$1
    if ! image "$img" "$2" -F "$1" -s "$3"; then
        fail "${name}_image" "mkfs.fat failed"
        continue
    fi
    tree_script $(($3 * 512)) "$4"
    run "$name" "$img"
    check_run "$name" $?
    check_gets "$name"
    check_times "$name" "$img"
    check_fsck "$name" "$img"
    check_df "$name" "$img"
    check_mtools "$name" "$img"
    check_names "$name" "$img"
    refused_test "$name" "$img"
    random "$OUT/data/huge" $(($2 * 1024))
    nospace_test "$name" "$img"
    fill_test "$name" "$img"
    many_test "$name" "$img"
done
root_test 12 4
root_test 16 1
mutants 12 1024 1 400 1000 "fill /fill.bin"
mutants 16 2400 1 400 2000 "put /newdir/again.bin $OUT/mutant.data"
mutants 32 34000 1 200 3000 "df"
cut_test fat12 12 2048 1
cut_test fat32 32 34000 1

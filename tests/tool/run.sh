#!/usr/bin/env bash
# Tests for the build tool (tool/): validation rules, layout and the image.
# Uses the sanitizer build; any ASan/UBSan report fails the test it occurs in.
set -u
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

HERE=$ROOT/tests/tool
OUT=$BUILD/tests/tool
PRIDE=$BUILD/bin/pride-asan
CROSS_CC=${CROSS_CC:-aarch64-linux-gnu-gcc}
KERNEL=$OUT/kernel.elf
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

if [ ! -x "$PRIDE" ]; then
    fail tool/binary "$PRIDE is missing (make build/bin/pride-asan)"
    exit 0
fi
mkdir -p "$OUT"

# ---- fixtures ----

# build_high_fixture NAME VA: the fixture program with one more data page at VA.
build_high_fixture() {
    "$CROSS_CC" -ffreestanding -nostdlib -static -fno-pic -no-pie -O2 -Wl,--build-id=none \
        -T "$HERE/fixture_high.ld" -Wl,--defsym=HIGH_PAGE="$2" -DHIGH_SEGMENT \
        -o "$OUT/$1.elf" "$HERE/fixture_pd.c"
}

build_fixtures() {
    local pd_flags=(-ffreestanding -nostdlib -static -fno-pic -no-pie -O2
                    -Wl,--build-id=none -T "$ROOT/libmicrokit/microkit.ld")
    "$CROSS_CC" "${pd_flags[@]}" -o "$OUT/pd.elf" "$HERE/fixture_pd.c" &&
    "$CROSS_CC" "${pd_flags[@]}" -DNO_IPC_BUFFER -o "$OUT/pd_noipc.elf" "$HERE/fixture_pd.c" &&
    "$CROSS_CC" "${pd_flags[@]}" -I"$ROOT/include" -DROLE_CONFIGS -o "$OUT/pd_roles.elf" \
        "$HERE/fixture_pd.c" &&
    "$CROSS_CC" "${pd_flags[@]}" -I"$ROOT/include" -DROLE_CONFIGS -DOLD_VERSION \
        -o "$OUT/pd_roles_old.elf" "$HERE/fixture_pd.c" &&
    "$CROSS_CC" "${pd_flags[@]}" -I"$ROOT/include" -DROLE_CONFIGS -DSMALL_COPIER \
        -o "$OUT/pd_roles_small.elf" "$HERE/fixture_pd.c" &&
    build_high_fixture pd_high_ok 0x7FFFFFB000 && build_high_fixture pd_high_guard 0x7FFFFFC000 &&
    "$CROSS_CC" -ffreestanding -nostdlib -static -fno-pic -no-pie -O2 -Wl,--build-id=none \
        -T "$HERE/fixture_kernel.ld" -o "$KERNEL" "$HERE/fixture_kernel.c" &&
    "$CROSS_CC" -ffreestanding -nostdlib -static -fno-pic -no-pie -O2 -Wl,--build-id=none \
        -T "$HERE/fixture_kernel.ld" -DNO_BOOTSPEC_SYMBOL -o "$OUT/kernel_nosym.elf" \
        "$HERE/fixture_kernel.c" &&
    gcc -O2 -Wall -Werror -I"$ROOT/include" -o "$OUT/check_image" "$HERE/check_image.c" &&
    printf 'int main(void) { return 0; }\n' | gcc -x c -o "$OUT/host.elf" - &&
    # e_machine = 62 (x86-64), in case the host itself is AArch64
    printf '\076\000' | dd of="$OUT/host.elf" bs=1 seek=18 conv=notrunc status=none &&
    printf 'this is not an ELF file\n' >"$OUT/notelf.elf" &&
    cp "$OUT/pd.elf" "$OUT/elf32.elf" &&
    printf '\001' | dd of="$OUT/elf32.elf" bs=1 seek=4 conv=notrunc status=none &&
    : >"$OUT/empty.system"
}
if ! build_fixtures >"$OUT/fixtures.log" 2>&1; then
    fail tool/fixtures "$(tail -1 "$OUT/fixtures.log")"
    exit 0
fi

# ---- helpers ----

# Runs the tool; output in $OUT/stdout and $OUT/stderr, returns its status.
pride() { "$PRIDE" "$@" >"$OUT/stdout" 2>"$OUT/stderr"; }
build() { pride build "$1" -o "$2" --kernel "$KERNEL" "$OUT"; }
sanitizer_report() { grep -qE 'Sanitizer|runtime error' "$OUT/stderr"; }
first_err() { head -1 "$OUT/stderr"; }

# expect_status NAME WANT GOT [MESSAGE]: status and, if given, a stderr substring.
expect_status() {
    if sanitizer_report; then fail "$1" "sanitizer: $(grep -m1 -E 'Sanitizer|runtime error' "$OUT/stderr")"
    elif [ "$3" -ne "$2" ]; then fail "$1" "exit $3, want $2: $(first_err)"
    elif [ $# -ge 4 ] && ! grep -qF -- "$4" "$OUT/stderr"; then fail "$1" "stderr lacks '$4': $(first_err)"
    else pass "$1"; fi
}

# ---- valid systems: check and build succeed ----

for f in "$HERE"/good/*.system; do
    base=$(basename "$f" .system)
    pride check "$f"
    expect_status "tool/good/$base/check" 0 $?
    build "$f" "$OUT/$base.img"
    expect_status "tool/good/$base/build" 0 $?
done

# ---- lowering: `pride lower` prints a plain file that builds the same image ----

for f in "$HERE"/good/{net,net_direct,serial,timer,blk,blk_net,rtc,stats}.system; do
    base=$(basename "$f" .system)
    name=tool/lower/$base
    if ! pride lower "$f"; then fail "$name" "lower failed: $(first_err)"; continue; fi
    cp "$OUT/stdout" "$OUT/$base.lowered.system"
    if grep -qE '<(net|serial|timer|client|stats|pd)[ >]' "$OUT/$base.lowered.system"; then
        fail "$name" "a subsystem element is left"
    elif ! build "$OUT/$base.lowered.system" "$OUT/$base.lowered.img"; then
        fail "$name" "the lowered file does not build: $(first_err)"
    elif ! cmp -s "$OUT/$base.img" "$OUT/$base.lowered.img"; then
        fail "$name" "the lowered file builds another image"
    else
        pass "$name"
    fi
done

# ---- invalid systems: the first line says "<!-- expect: LINE: text -->" ----

for f in "$HERE"/bad/*.system; do
    base=$(basename "$f" .system)
    expect=$(sed -n '1s/^<!-- expect: \(.*\) -->$/\1/p' "$f")
    if [ -z "$expect" ]; then fail "tool/bad/$base" "no expect line"; continue; fi
    line=${expect%%: *}
    msg=${expect#*: }
    if [[ $base == build_* ]]; then
        # these need the program images, so `check` must accept them
        pride check "$f"
        if [ $? -ne 0 ]; then fail "tool/bad/$base" "check rejected it: $(first_err)"; continue; fi
        build "$f" "$OUT/bad.img"
    else
        pride check "$f"
    fi
    status=$?
    if [ $status -eq 1 ] && ! grep -qF -- "$f:$line: " "$OUT/stderr"; then
        fail "tool/bad/$base" "want line $line: $(first_err)"
    else
        expect_status "tool/bad/$base" 1 $status "$msg"
    fi
done

# ---- the image built from good/full.system ----

sym() { "${CROSS_CC%gcc}nm" "$OUT/pd.elf" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
NAME=$(sym microkit_name)
full=(
    pds 4 \;
    entry client 0x200000 \; ipc client "$(sym pride_ipc_buffer)" \;
    map client 0x200000 r-xcP \; map client 0x201000 r--cP \; map client 0x202000 rw-cP \;
    map client 0x7FFFFFE000 rw-cP \; unmapped client 0x7FFFFFF000 \;
    map client 0x7FFFFFD000 rw-cP \; unmapped client 0x7FFFFFC000 \;
    map driver 0x7FFFFFB000 rw-cP \; unmapped driver 0x7FFFFFA000 \;
    map client 0x4000000 rw-cP \; map server 0x5000000 r--cP \;
    samepa client 0x4001000 server 0x5001000 \;
    map client 0x40000000 r--cB \; map server 0x40200000 rwxcB \;
    samepa client 0x40300000 server 0x40300000 \;
    map driver 0x6000000 rw-dP 0x9000000 \; map driver 0x7000000 rw-cP 0x48000000 \;
    u64 client "$(sym shared_vaddr)" 0x4000000 \;
    u64 server "$(sym shared2_vaddr)" 0x5000000 \;
    u64 driver "$(sym uart_paddr)" 0x9000000 \;
    u64pa client "$(sym buffer_paddr)" client 0x4000000 \;
    str client "$NAME" client \; str child "$NAME" child \; str server "$NAME" server \;
    u64 client "$(sym microkit_pps)" 0x2 \;
    u64 client "$(sym microkit_notifications)" 0x16 \;
    u64 driver "$(sym microkit_irqs)" 0x60 \;
    u64 driver "$(sym microkit_notifications)" 0x1 \;
    u64 server "$(sym microkit_passive)" 1 \; u64 client "$(sym microkit_passive)" 0 \;
    chan client 1 server 2 3 \; chan server 2 client 1 0 \;
    chan child 0 client 4 3 \; chan client 4 child 0 1 \; chan driver 0 client 2 1 \;
    irq driver 5 33 1 \; irq driver 6 79 0 \;
    child client 3 child \;
    sched client 10 500 2000 0 \; sched server 100 1000 1000 1 \; sched child 5 1000 1000 0
)
if "$OUT/check_image" "$OUT/full.img" "$KERNEL" "${full[@]}" 2>"$OUT/check.err"; then
    pass tool/image/full
else
    fail tool/image/full "$(head -1 "$OUT/check.err")"
fi
if "$OUT/check_image" "$OUT/syntax.img" "$KERNEL" pds 2 \; \
    sched "a&b<>\"'" 25 1000 1000 0 \; sched b 254 1 1000000 0 \; \
    chan "a&b<>\"'" 61 b 0 2 \; map "a&b<>\"'" 0x7FFFFF0000 rw-cP 2>"$OUT/check.err"; then
    pass tool/image/syntax
else
    fail tool/image/syntax "$(head -1 "$OUT/check.err")"
fi

# good/hole.system: a fixed region inside RAM where allocation would start
hole=(map a 0x7000000 rw-cP 0x40204000 \; map a 0x7010000 rw-cP 0x40214000 \;)
for va in 0x200000 0x201000 0x202000 0x203000 0x7FFFFFE000; do
    hole+=(outside a $va 0x40204000 0x40215000 \;)
done
if "$OUT/check_image" "$OUT/hole.img" "$KERNEL" "${hole[@]}" pds 1 2>"$OUT/check.err"; then
    pass tool/image/hole
else
    fail tool/image/hole "$(head -1 "$OUT/check.err")"
fi

# good/near_stack.system: a map and a program segment right below the guard page
near=(map a 0x7FFFFFB000 rw-cP \; unmapped a 0x7FFFFFC000 \; map a 0x7FFFFFD000 rw-cP \;
      map b 0x7FFFFFB000 rw-cP \; unmapped b 0x7FFFFFC000 \; map b 0x7FFFFFD000 rw-cP \;)
if "$OUT/check_image" "$OUT/near_stack.img" "$KERNEL" "${near[@]}" pds 2 2>"$OUT/check.err"; then
    pass tool/image/near-stack
else
    fail tool/image/near-stack "$(head -1 "$OUT/check.err")"
fi

build "$HERE/good/full.system" "$OUT/full2.img"
if cmp -s "$OUT/full.img" "$OUT/full2.img"; then pass tool/deterministic; else fail tool/deterministic "two builds differ"; fi

segs=$(readelf -lW "$OUT/full.img" 2>/dev/null | grep -c ' LOAD ')
if [ "$segs" -ge 3 ] && [ "$segs" -le 8 ]; then pass tool/segment-count; else fail tool/segment-count "$segs PT_LOAD segments"; fi

pride build "$HERE/good/single.system" -o "$OUT/v.img" --kernel "$KERNEL" --verbose "$OUT"
expect_status tool/verbose 0 $?
expect_contains tool/verbose-output "$OUT/stdout" "boot spec at"

# ---- command line, file and search-path handling ----

pride; expect_status tool/usage/none 2 $?
pride frobnicate x; expect_status tool/usage/verb 2 $?
pride check; expect_status tool/usage/check-no-file 2 $?
pride check a b; expect_status tool/usage/check-two-files 2 $?
pride build "$HERE/good/single.system"; expect_status tool/usage/build-no-output 2 $?
pride build "$HERE/good/single.system" -o; expect_status tool/usage/build-dangling-o 2 $?
pride build "$HERE/good/single.system" -o x --bogus; expect_status tool/usage/build-bad-option 2 $?
pride check "$OUT/does-not-exist.system"; expect_status tool/file/missing 1 $? "does-not-exist.system: cannot read"
pride check "$OUT/empty.system"; expect_status tool/file/empty 1 $? "empty.system:1: malformed XML: no root element"
pride check "$OUT"; expect_status tool/file/directory 1 $? "cannot read"
pride build "$HERE/good/single.system" -o "$OUT/x.img" --kernel "$OUT/kernel_nosym.elf" "$OUT"
expect_status tool/kernel/no-symbol 1 $? "kernel lacks the symbol pride_bootspec_paddr"
pride build "$HERE/good/single.system" -o "$OUT/x.img" --kernel "$OUT/pd.elf" "$OUT"
expect_status tool/kernel/outside-ram 1 $? "kernel segment at PA 0x200000 lies outside RAM"
pride build "$HERE/good/single.system" -o "$OUT/x.img" --kernel "$OUT/nope.elf" "$OUT"
expect_status tool/kernel/missing 1 $? "nope.elf: kernel cannot be read"
pride build "$HERE/good/single.system" -o "$OUT/no/such/dir/x.img" --kernel "$KERNEL" "$OUT"
expect_status tool/output/unwritable 1 $? "cannot write"

# default kernel: <bindir>/../kernel/kernel.elf
mkdir -p "$OUT/tree/bin" "$OUT/tree/kernel"
cp "$PRIDE" "$OUT/tree/bin/pride-asan" && cp "$KERNEL" "$OUT/tree/kernel/kernel.elf"
"$OUT/tree/bin/pride-asan" build "$HERE/good/single.system" -o "$OUT/x.img" "$OUT" >"$OUT/stdout" 2>"$OUT/stderr"
expect_status tool/default-kernel 0 $?

# program images next to the .system file, and search-dir order
mkdir -p "$OUT/sysdir" "$OUT/first"
cp "$HERE/good/single.system" "$OUT/pd.elf" "$OUT/sysdir/"
pride build "$OUT/sysdir/single.system" -o "$OUT/x.img" --kernel "$KERNEL"
expect_status tool/search/system-dir 0 $?
cp "$OUT/notelf.elf" "$OUT/first/pd.elf"
pride build "$OUT/sysdir/single.system" -o "$OUT/x.img" --kernel "$KERNEL" "$OUT/first" "$OUT"
expect_status tool/search/order 1 $? "first/pd.elf' is not an ELF file"

# ---- untrusted bytes reach the terminal only escaped ----

# expect_escaped NAME FILE TEXT: FILE is one line of printable ASCII containing TEXT.
expect_escaped() {
    if sanitizer_report; then fail "$1" "sanitizer: $(grep -m1 -E 'Sanitizer|runtime error' "$OUT/stderr")"
    elif [ "$(wc -l <"$2")" -ne 1 ]; then fail "$1" "$(wc -l <"$2") lines: $(head -c 200 "$2" | od -c | head -3 | tr '\n' ' ')"
    elif tr -d '\n' <"$2" | LC_ALL=C grep -q '[^ -~]'; then fail "$1" "raw control bytes: $(od -c "$2" | head -3 | tr '\n' ' ')"
    elif ! grep -qF -- "$3" "$2"; then fail "$1" "lacks '$3': $(head -1 "$2")"
    else pass "$1"; fi
}
ESC=$OUT/escape
mkdir -p "$ESC"
nasty=$(printf 'x\ny\033[31m\\z\177\t\303\251')
escaped='x\ny\x1b[31m\\z\x7f\t\xc3\xa9'
# esc_system FILE PD-NAME MR-NAME PD-ATTRS INNER: a one-PD system with raw bytes in it
esc_system() {
    printf '<system>\n<memory_region name="%s" size="0x1000" />\n<protection_domain name="%s" %s>\n%s\n</protection_domain>\n</system>\n' \
        "$3" "$2" "$4" "$5" >"$1"
}
image='<program_image path="pd.elf" />'
esc_system "$ESC/value.system" a m "priority=\"$nasty\"" "$image"
pride check "$ESC/value.system"
expect_escaped tool/escape/attribute-value "$OUT/stderr" "invalid number '$escaped'"
esc_system "$ESC/region.system" a m "" "$image<map mr=\"$nasty\" vaddr=\"0x1000000\" />"
pride check "$ESC/region.system"
expect_escaped tool/escape/region-name "$OUT/stderr" "unknown memory region '$escaped'"
esc_system "$ESC/pdname.system" "$nasty" m "" "$image"
pride check "$ESC/pdname.system"
expect_escaped tool/escape/pd-name "$OUT/stderr" "'$escaped'"
esc_system "$ESC/image.system" a m "" "<program_image path=\"$nasty.elf\" />"
build "$ESC/image.system" "$OUT/x.img"
expect_escaped tool/escape/image-path "$OUT/stderr" "program image '$escaped.elf' not found"
cp "$ESC/value.system" "$ESC/$nasty.system"
pride check "$ESC/$nasty.system"
expect_escaped tool/escape/system-path "$OUT/stderr" "escape/$escaped.system:3: "
esc_system "$ESC/verbose.system" a "$nasty" "" "$image<map mr=\"$nasty\" vaddr=\"0x1000000\" />"
pride build "$ESC/verbose.system" -o "$OUT/x.img" --kernel "$KERNEL" --verbose "$OUT"
grep -aF "memory region" "$OUT/stdout" >"$OUT/verbose-region"
expect_escaped tool/escape/verbose "$OUT/verbose-region" "memory region '$escaped'"

# ---- pride graph: a diagram of each example ----

GRAPH=$OUT/graph
mkdir -p "$GRAPH"
# graph_check NAME CHECK ARGS...: PASS if graph_check.py CHECK accepts ARGS
graph_check() {
    local name=$1 why
    shift
    if why=$(python3 "$HERE/graph_check.py" "$@" 2>&1); then pass "$name"; else fail "$name" "$why"; fi
}
for f in "$ROOT"/examples/*/*.system; do
    base=$(basename "$f" .system)
    pride graph "$f" -o "$GRAPH/$base.svg"
    expect_status "tool/graph/$base/run" 0 $?
    graph_check "tool/graph/$base/svg" svg "$GRAPH/$base.svg" "$f"
    pride graph "$f" -o "$GRAPH/$base-again.svg"
    if cmp -s "$GRAPH/$base.svg" "$GRAPH/$base-again.svg"; then
        pass "tool/graph/$base/deterministic"
    else
        fail "tool/graph/$base/deterministic" "two runs differ"
    fi
done

if cmp -s "$GRAPH/echo_server.svg" "$ROOT/docs/echo_server.svg"; then
    pass tool/graph/docs-diagram-current
else
    fail tool/graph/docs-diagram-current "docs/echo_server.svg is stale: build/bin/pride graph examples/echo_server/echo_server.system -o docs/echo_server.svg"
fi

# Names with markup characters, and a region name with a control byte (which
# XML cannot hold even as a character reference), in boxes and region nodes.
# (Python's XML parser rejects that byte, so the expected names are spelt out.)
esc=$(printf '\033')
cat >"$GRAPH/names.system" <<SYSTEM
<system>
    <memory_region name="sh&lt;a&amp;r&quot;ed" size="0x1000" />
    <memory_region name="m&lt;$esc&gt;&apos;" size="0x1000" phys_addr="0x9000000" />
    <protection_domain name="a&lt;b&amp;c&quot;d" priority="10">
        <program_image path="pd.elf" />
        <map mr="sh&lt;a&amp;r&quot;ed" vaddr="0x4000000" perms="r" />
        <map mr="m&lt;$esc&gt;&apos;" vaddr="0x5000000" />
        <protection_domain name="c&gt;'&amp;" id="3" priority="5">
            <program_image path="pd.elf" />
            <map mr="sh&lt;a&amp;r&quot;ed" vaddr="0x4000000" />
        </protection_domain>
    </protection_domain>
    <channel><end pd="c&gt;'&amp;" id="1" pp="true" /><end pd="a&lt;b&amp;c&quot;d" id="2" /></channel>
</system>
SYSTEM
pride graph "$GRAPH/names.system" -o "$GRAPH/names.svg"
expect_status tool/graph/names/run 0 $?
graph_check tool/graph/names/escaped names "$GRAPH/names.svg" 'sh<a&r"ed' \
    "m<\\x1b>' rw phys 0x9000000" 'a<b&c"d' "c>'&"

# Every malformed file is reported as `check` reports it, and no diagram is written.
bad=0
for f in "$HERE"/bad/*.system; do
    [[ $(basename "$f") == build_* ]] && continue
    pride check "$f"; check_status=$?
    cp "$OUT/stderr" "$GRAPH/check.err"
    rm -f "$GRAPH/bad.svg"
    pride graph "$f" -o "$GRAPH/bad.svg"; st=$?
    if sanitizer_report || [ $st -ne 1 ] || [ $check_status -ne 1 ] ||
       ! cmp -s "$OUT/stderr" "$GRAPH/check.err" || [ -e "$GRAPH/bad.svg" ]; then
        bad=1
        fail tool/graph/bad-input "$(basename "$f"): exit $st, '$(first_err)'; check: '$(head -1 "$GRAPH/check.err")'"
        break
    fi
done
[ $bad -eq 0 ] && pass tool/graph/bad-input
pride graph "$HERE/bad/unknown_element.system" -o "$GRAPH/bad.svg"
expect_status tool/graph/bad-input-line 1 $? "$HERE/bad/unknown_element.system:$(
    sed -n '1s/^<!-- expect: \([0-9]*\): .*/\1/p' "$HERE/bad/unknown_element.system"): "
pride graph "$HERE/good/single.system"; expect_status tool/graph/usage/no-output 2 $?
pride graph "$HERE/good/single.system" -o; expect_status tool/graph/usage/dangling-o 2 $?
pride graph -o "$GRAPH/x.svg"; expect_status tool/graph/usage/no-file 2 $?
pride graph a.system b.system -o "$GRAPH/x.svg"; expect_status tool/graph/usage/two-files 2 $?
pride graph "$HERE/good/single.system" -o "$OUT/no/such/dir/x.svg"
expect_status tool/graph/unwritable 1 $? "cannot write"

# ---- pride graph in a real browser ----

# The PNG check must be able to fail: on a blank picture and a nearly blank one.
# png_check_rejects NAME DOTS: PASS if a white PNG with DOTS dark pixels fails the check
png_check_rejects() {
    python3 "$HERE/graph_check.py" blank "$GRAPH/blank.png" 1600 1500 "$2"
    if python3 "$HERE/graph_check.py" png "$GRAPH/blank.png" >/dev/null; then
        fail "$1" "a white PNG with $2 dark pixels passed"
    else
        pass "$1"
    fi
}
png_check_rejects tool/graph/png-check/blank 0
png_check_rejects tool/graph/png-check/nearly-blank 50

# browser OUTPUT SECONDS ARGS...: headless Chromium with a fresh profile, in a
# process group of its own, stdout to OUTPUT; the group is killed once Chromium
# exits or SECONDS pass. Returns 0 if it exited by itself with status 0.
browser() {
    local out=$1 seconds=$2 profile pid finished=1 status
    shift 2
    profile=$(mktemp -d "$GRAPH/profile.XXXXXX")
    setsid chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" >"$out" 2>"$out.log" </dev/null &
    pid=$!
    for ((i = 0; i < seconds * 10; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then finished=0; break; fi
        sleep 0.1
    done
    kill -KILL -- "-$pid" 2>/dev/null # setsid made its PID the group's id
    wait "$pid"; status=$?
    rm -rf "$profile"
    [ $finished -eq 0 ] && [ $status -eq 0 ]
}
ECHO_SVG=$GRAPH/echo_server.svg
ECHO_SYSTEM=$ROOT/examples/echo_server/echo_server.system
if ! command -v chromium >/dev/null; then
    fail tool/graph/browser "chromium is not installed (scripts/install-deps.sh installs it)"
elif [ ! -s "$ECHO_SVG" ]; then
    fail tool/graph/browser "$ECHO_SVG was not drawn"
else
    rm -f "$GRAPH/echo.png"
    if browser "$GRAPH/screenshot.out" 60 --screenshot="$GRAPH/echo.png" --window-size=1600,1500 \
            "file://$ECHO_SVG" && [ -s "$GRAPH/echo.png" ]; then
        graph_check tool/graph/browser/render png "$GRAPH/echo.png"
    else
        fail tool/graph/browser/render "no screenshot: $(tail -1 "$GRAPH/screenshot.out.log")"
    fi
    if browser "$GRAPH/dom.html" 60 --dump-dom "file://$ECHO_SVG"; then
        graph_check tool/graph/browser/dom dom "$GRAPH/dom.html" "$ECHO_SYSTEM"
    else
        fail tool/graph/browser/dom "no DOM dump: $(tail -1 "$GRAPH/dom.html.log")"
    fi
fi

# ---- scale: 100,000 regions and maps, checked and built in bounded time and memory ----

SCALE=100000
if python3 "$HERE/scale.py" system "$OUT/scale.system" $SCALE &&
   python3 "$HERE/scale.py" attrs "$OUT/attrs.system" $SCALE &&
   python3 "$HERE/scale.py" program "$OUT/scale.s" $SCALE &&
   "$CROSS_CC" -nostdlib -static -no-pie -Wl,--build-id=none -T "$ROOT/libmicrokit/microkit.ld" \
       -o "$OUT/scale.elf" "$OUT/scale.s" 2>"$OUT/stderr"; then
    # scaled NAME SECONDS MEGABYTES STATUS COMMAND...: PASS if COMMAND stays in bounds
    scaled() {
        local name=$1 why
        shift
        if why=$(python3 "$HERE/scale.py" run "$@"); then pass "$name"; else fail "$name" "$why"; fi
    }
    for tool in "$BUILD/bin/pride" "$PRIDE"; do
        if [ "$tool" = "$PRIDE" ]; then kind=asan secs=20 mb=0; else kind=plain secs=2 mb=200; fi
        scaled "tool/scale/$kind/check" $secs $mb 0 "$tool" check "$OUT/scale.system"
        scaled "tool/scale/$kind/build" $secs $mb 0 "$tool" build "$OUT/scale.system" \
            -o "$OUT/scale.img" --kernel "$KERNEL" "$OUT"
        scaled "tool/scale/$kind/attributes" $secs $mb 1 "$tool" check "$OUT/attrs.system"
    done
else
    fail tool/scale/inputs "$(first_err)"
fi

# ---- the guard page below the stack, on the real kernel ----

GUARD_IMG=$BUILD/tests/systems/stack_guard/stack_guard.img
if [ -f "$GUARD_IMG" ]; then
    log=$OUT/stack_guard.log
    if boot_system "$GUARD_IMG" "$log" 20 "^stack_guard: shared region"; then
        if grep -qE "pride: fault: pd=overflow kind=data abort .*addr=0x7fffffd[0-9a-f]{3} " "$log"; then
            pass tool/boot/stack-guard-fault
        else
            fail tool/boot/stack-guard-fault "no data abort in the guard page (see $log)"
        fi
        expect_contains tool/boot/stack-guard-untouched "$log" "stack_guard: shared region untouched"
        # One frame larger than the guard page: the compiler's stack probes fault in it.
        if grep -qE "pride: fault: pd=leaper kind=data abort .*addr=0x7fffffd[0-9a-f]{3} " "$log"; then
            pass tool/boot/stack-guard-large-frame-fault
        else
            fail tool/boot/stack-guard-large-frame-fault "no data abort in the guard page (see $log)"
        fi
        expect_contains tool/boot/stack-guard-large-frame-untouched "$log" \
            "stack_guard: leaped region untouched"
    else
        fail tool/boot/stack-guard "the observer never reported (see $log)"
    fi
else
    fail tool/boot/stack-guard "$GUARD_IMG is missing (make images)"
fi

# ---- the kernel rejects boot specs the tool no longer writes ----

IRQ_IMG=$BUILD/tests/systems/irq/irq.img
SLOT=$("${CROSS_CC%gcc}nm" "$BUILD/kernel/kernel.elf" 2>/dev/null |
       awk '$3 == "pride_bootspec_paddr" { print "0x" $1 }')
# kernel_spec NAME FIELD PD N VALUE EXPECTED: boots irq.img with one boot-spec
# field changed (see patch_spec.py); PASS if the log has EXPECTED.
kernel_spec() {
    local log=$OUT/spec-${1##*/}.log
    if ! python3 "$HERE/patch_spec.py" "$IRQ_IMG" "$OUT/spec.img" "$SLOT" "$2" "$3" "$4" "$5" \
            2>"$OUT/stderr"; then
        fail "$1" "cannot patch: $(first_err)"
    elif boot_system "$OUT/spec.img" "$log" 10 "kernel panic|kernel up" && grep -qF -- "$6" "$log"; then
        pass "$1"
    else
        fail "$1" "want '$6', got: $(tail -1 "$log")"
    fi
}
if [ -f "$IRQ_IMG" ] && [ -n "$SLOT" ]; then
    # irq.system: PD 0 is timer_user, whose channel 1 is the virtual timer (INTID 27)
    kernel_spec tool/kernel-spec/unchanged irq 0 1 27 "pride: kernel up"
    rejected="pride: boot spec PD 0: IRQ the kernel cannot deliver"
    kernel_spec tool/kernel-spec/ppi-not-delivered irq 0 1 26 "$rejected"
    kernel_spec tool/kernel-spec/ppi-edge trigger 0 1 1 "$rejected"
    kernel_spec tool/kernel-spec/irq-beyond-gic irq 0 1 288 "$rejected"
    kernel_spec tool/kernel-spec/name-control name 0 2 0x1b \
        "pride: boot spec PD 0: PD name not terminated or not printable"
else
    fail tool/kernel-spec "$IRQ_IMG or the kernel's pride_bootspec_paddr is missing"
fi

# ---- robustness: truncated and corrupted inputs fail cleanly ----

bad=0
size=$(wc -c <"$HERE/good/full.system")
for n in $(seq 0 53 "$size"); do
    head -c "$n" "$HERE/good/full.system" >"$OUT/trunc.system"
    pride check "$OUT/trunc.system"; st=$?
    if sanitizer_report || [ $st -gt 1 ]; then bad=1; fail tool/robust/truncated-system "at $n bytes: $(first_err)"; break; fi
done
[ $bad -eq 0 ] && pass tool/robust/truncated-system

mkdir -p "$OUT/corrupt"
cp "$HERE/good/single.system" "$OUT/corrupt/"
bad=0
size=$(wc -c <"$OUT/pd.elf")
for n in 0 3 10 20 63 64 100 120 200 4096 65536 $((size - 600)) $((size - 100)) $((size - 1)); do
    head -c "$n" "$OUT/pd.elf" >"$OUT/corrupt/pd.elf"
    pride build "$OUT/corrupt/single.system" -o "$OUT/x.img" --kernel "$KERNEL"; st=$?
    if sanitizer_report || [ $st -ne 1 ]; then bad=1; fail tool/robust/truncated-elf "at $n bytes: exit $st $(first_err)"; break; fi
done
# e_phoff, e_shoff, e_phentsize/e_phnum, e_shentsize/e_shnum/e_shstrndx set to 0xff..
for off in 32 40 54 58; do
    cp "$OUT/pd.elf" "$OUT/corrupt/pd.elf"
    printf '\377\377\377\377\377\377' | dd of="$OUT/corrupt/pd.elf" bs=1 seek=$off conv=notrunc status=none
    pride build "$OUT/corrupt/single.system" -o "$OUT/x.img" --kernel "$KERNEL"; st=$?
    if sanitizer_report || [ $st -ne 1 ]; then bad=1; fail tool/robust/corrupt-elf "offset $off: exit $st $(first_err)"; break; fi
done
[ $bad -eq 0 ] && pass tool/robust/bad-elf
exit 0

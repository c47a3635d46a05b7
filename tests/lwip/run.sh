#!/usr/bin/env bash
# lwIP and picolibc inside a PD: boots tests/systems/lwip_smoke and checks
# each line it prints, and that the PD links Pride's word-wise memcpy rather
# than picolibc's byte loop; tests Pride's checksum routine on the host.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/lwip
mkdir -p "$OUT"
DIR=$BUILD/tests/systems/lwip_smoke

test_smoke() {
    local log=$OUT/lwip_smoke.log
    if ! boot_system "$DIR/lwip_smoke.img" "$log" 20 "^lwip: (smoke ok|[0-9]+ checks failed)"; then
        fail lwip_smoke "no result line (see $log)"
        return
    fi
    local check
    for check in tls float memcpy/memset checksum "parse addresses" ip4addr_ntoa netif_add \
                 "netif output" "pbuf chain"; do
        expect_contains "lwip_smoke_${check//[ \/]/_}" "$log" "lwip: $check ok"
    done
    expect_contains lwip_smoke_printf_float "$log" "lwip: sqrt(2) = 1.414214"
    expect_contains lwip_smoke_version "$log" "lwip: version 2.1.3, NO_SYS 1"
    expect_contains lwip_smoke_ok "$log" "lwip: smoke ok"
    grep -q 'pride: fault:' "$log" && fail lwip_smoke_no_fault "a PD faulted: $(grep 'pride: fault:' "$log")" ||
        pass lwip_smoke_no_fault
}

# Pride's memcpy (lib/libc/src/string.c) moves 8 or 16 bytes per load;
# picolibc's moves one byte per ldrb.
test_memcpy_linked() {
    if aarch64-linux-gnu-objdump -d --disassemble=memcpy "$DIR/smoke.elf" |
        grep -qE 'ldr[[:space:]]+[qx][0-9]+'; then
        pass lwip_smoke_wordwise_memcpy
    else
        fail lwip_smoke_wordwise_memcpy "smoke.elf links a byte-loop memcpy"
    fi
}

# The checksum lwIP uses (lib/lwip/port/chksum.c), on the host under
# ASan/UBSan against a byte-pair reference.
test_chksum_unit() {
    if ! gcc -std=c11 -Wall -Wextra -Werror -O2 -g -Ilib/lwip -fsanitize=address,undefined \
            -fno-sanitize-recover=all -o "$OUT/chksum_unit" tests/lwip/chksum_unit.c \
            lib/lwip/port/chksum.c 2>"$OUT/chksum_unit.build.log"; then
        fail chksum_unit_build "see $OUT/chksum_unit.build.log"
        return
    fi
    timeout 120 "$OUT/chksum_unit" || fail chksum_unit "exit status $?"
}

test_smoke
test_memcpy_linked
(cd "$ROOT" && test_chksum_unit)

#!/usr/bin/env bash
# The PL031 real-time clock driver (tests/systems/rtc): the client's two
# readings, a second apart by the timer, must agree with the host's clock
# (QEMU's PL031 starts from it) and advance by one second.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/rtc
log=$OUT/rtc.log
mkdir -p "$OUT"
before=$(date +%s)
if boot_system "$BUILD/tests/systems/rtc/rtc.img" "$log" 20 "asker: done"; then
    after=$(date +%s)
    mapfile -t t < <(sed -n 's/^asker: unix time \([0-9]*\)$/\1/p' "$log")
    if [ ${#t[@]} -ne 2 ]; then
        fail rtc_time "$(grep -m1 asker "$log")"
    elif [ "${t[0]}" -lt $((before - 2)) ] || [ "${t[0]}" -gt $((after + 2)) ]; then
        fail rtc_time "guest ${t[0]}, host $before..$after"
    else
        pass rtc_time
    fi
    d=$(( ${t[1]:-0} - ${t[0]:-0} ))
    [ "$d" -ge 1 ] && [ "$d" -le 2 ] && pass rtc_advances || fail rtc_advances "by $d s over a timer second"
else
    fail rtc_time "never printed 'asker: done' (see $log)"
fi

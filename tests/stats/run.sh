#!/usr/bin/env bash
# Statistics through a <stats> element (tests/systems/stats_reader): a
# reader that is also a file-system and timer client asks the block
# driver, the FAT server and the timer driver, in the element's order,
# after one good and one refused file-system command; every line shows
# the traffic it caused.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/stats
IMAGE=$BUILD/tests/systems/stats_reader/stats_reader.img
LOG=$OUT/stats_reader.log
mkdir -p "$OUT"

rm -f "$OUT/disk.img"
if ! mkfs.fat -C -F 12 "$OUT/disk.img" 4096 >/dev/null; then
    fail stats_disk "mkfs.fat failed"
    exit 0
fi
if ! boot_system "$IMAGE" "$LOG" 20 "reader: done" -global virtio-mmio.force-legacy=false \
        -drive "file=$OUT/disk.img,if=none,format=raw,id=d0" -device virtio-blk-device,drive=d0; then
    fail stats_reader_done "never printed 'reader: done' (see $LOG)"
    exit 0
fi
expect_contains stats_fs_answered "$LOG" "reader: statfs ok"
expect_contains stats_fs_refused "$LOG" "reader: statfs past the data region refused"
expect_contains stats_listed_in_order "$LOG" "reader: asked blk_driver fs timer"
expect_stats_clean stats_reader "$LOG" blk_driver timer
expect_stat stats_fs_requests "$LOG" fs passed -eq 2
expect_stat stats_fs_refused_counted "$LOG" fs bad_desc -eq 1
expect_stat stats_fs_bad_idx "$LOG" fs bad_idx -eq 0
expect_stat stats_timer_timeouts "$LOG" timer passed -eq 1
if grep -q 'pride: fault' "$LOG"; then fail stats_no_fault "$(grep -m1 'pride: fault' "$LOG")"
else pass stats_no_fault; fi

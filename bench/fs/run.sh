#!/usr/bin/env bash
# File-system benchmark: bench/fs on a 300 MiB FAT32 volume with 4 KiB
# clusters, made afresh for each run (bench/disk_bench.sh).
set -u
source "$(dirname "$0")/../disk_bench.sh"
fat_disk() { rm -f "$1" && truncate -s 300M "$1" && mkfs.fat -F 32 -s 8 "$1" >/dev/null; }
disk_bench fs fat_disk

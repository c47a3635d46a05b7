#!/usr/bin/env bash
# Block benchmark: bench/blk on a blank 16 MiB image (bench/disk_bench.sh).
set -u
source "$(dirname "$0")/../disk_bench.sh"
blank_disk() { rm -f "$1" && truncate -s 16M "$1"; }
disk_bench blk blank_disk

#!/usr/bin/env bash
# Runs every test script under tests/ and prints "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for script in "$ROOT"/tests/*/run.sh; do
    echo "== ${script#$ROOT/}"
    bash "$script" 2>&1 | tee -a "$log"
done
passed=$(grep -c '^PASS: ' "$log")
failed=$(grep -c '^FAIL: ' "$log")
if [ "$passed" -eq 0 ]; then failed=$((failed + 1)); echo "FAIL: no test ran"; fi
grep '^FAIL: ' "$log" || true
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

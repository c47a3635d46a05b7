#!/usr/bin/env bash
# The HTTP request parser (lib/http) on the host under ASan/UBSan
# (tests/http/unit.c): request lines, targets and every way of climbing
# out of the served directory, limits and their statuses, fields, ranges,
# dates, media types, and 300,000 mutated heads; the response side
# (lib/http/response.c): validators, 304 logic, heads, pages, listings.
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/http
mkdir -p "$OUT"
if ! gcc -std=c11 -Wall -Wextra -Werror -O1 -g -I"$ROOT/include" -fsanitize=address,undefined \
        -fno-sanitize-recover=all -o "$OUT/unit" "$ROOT/tests/http/unit.c" "$ROOT/lib/http/http.c" \
        "$ROOT/lib/http/response.c" \
        2>"$OUT/build.log"; then
    fail http_build "see $OUT/build.log"
    exit 0
fi
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
timeout 120 "$OUT/unit" >"$OUT/unit.log" 2>&1
status=$?
grep -E '^(PASS|FAIL): ' "$OUT/unit.log"
[ $status -eq 0 ] || grep -q '^FAIL: ' "$OUT/unit.log" || fail http_unit "exit $status: $(grep -m1 -E 'Sanitizer|runtime error' "$OUT/unit.log")"

#!/usr/bin/env bash
# The HTTP request parser (lib/http) on the host under ASan/UBSan
# (tests/http/unit.c): request lines, targets and every way of climbing
# out of the served directory, limits and their statuses, fields, ranges,
# dates, media types, and 300,000 mutated heads; the response side
# (lib/http/response.c): validators, 304 logic, heads, pages, listings;
# the status pages (lib/http/status_page.c, tests/http/status.c).
set -u
source "$(dirname "$0")/../lib.sh"
OUT=$BUILD/tests/http
mkdir -p "$OUT"
# unit_test NAME SOURCES...: built under the sanitizers and run; its lines.
unit_test() {
    local name=$1
    shift
    if ! gcc -std=c11 -Wall -Wextra -Werror -O1 -g -I"$ROOT/include" -fsanitize=address,undefined \
            -fno-sanitize-recover=all -o "$OUT/$name" "$@" 2>"$OUT/$name-build.log"; then
        fail "http_${name}_build" "see $OUT/$name-build.log"
        return
    fi
    ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 timeout 120 "$OUT/$name" >"$OUT/$name.log" 2>&1
    local status=$?
    grep -E '^(PASS|FAIL): ' "$OUT/$name.log"
    [ $status -eq 0 ] || grep -q '^FAIL: ' "$OUT/$name.log" ||
        fail "http_$name" "exit $status: $(grep -m1 -E 'Sanitizer|runtime error' "$OUT/$name.log")"
}
unit_test unit "$ROOT/tests/http/unit.c" "$ROOT/lib/http/http.c" "$ROOT/lib/http/response.c"
unit_test status "$ROOT/tests/http/status.c" "$ROOT/lib/http/status_page.c"

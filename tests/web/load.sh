#!/usr/bin/env bash
# Load test of the web server, run by tests/web/run.sh while its QEMU is up:
# 10,000 keep-alive GETs of /index.html over 32 connections at once with
# ApacheBench (ab), then the file fetched once more and compared byte for
# byte with the www copy. Prints PASS/FAIL lines and the requests per second.
#
# usage: load.sh PORT [WWW-DIR]
#
# Why 32 ab processes of one connection each rather than one `ab -c 32`:
# QEMU's user-mode network listens on the host with a backlog of 1, so most
# of 32 connects made at once overflow the host's accept queue. The host
# then completes those handshakes only as its SYN-ACK retries come round
# (about 1, 3, 7, 15, 31 s later), and the client cannot tell: its connect
# has returned and it waits on a request the server has not seen. A single
# ab meanwhile hands out its last requests, leaves its other connections
# idle, the server closes them after 10 s idle (as it should), and ab counts
# each such close as a failed request ("Length"). With one connection per
# process nothing sits idle: a late handshake only makes its own process late.
set -u
source "$(dirname "$0")/../lib.sh"
PORT=$1
WWW=${2:-$ROOT/examples/webserver/www}
REQUESTS=10000
CONNECTIONS=32 # the server holds this many at once
TARGET=index.html
OUT=$BUILD/tests/web/load
URL=http://127.0.0.1:$PORT/$TARGET

# listen_overflows: the host's count of handshakes that found an accept
# queue full (every listener on the host, so only a hint; 0 if unknown).
listen_overflows() {
    awk '/^TcpExt:/ { if (!named) { for (i = 2; i <= NF; i++) if ($i == "ListenOverflows") col = i; named = 1 }
                      else if (col) n = $col }
         END { print n + 0 }' /proc/net/netstat 2>/dev/null || echo 0
}

# run_ab: CONNECTIONS ab processes, one connection each, REQUESTS among
# them; each report in $OUT/ab.N.txt. Each ab is bounded by timeout, and
# its -s gives a late handshake time to come round.
run_ab() {
    local i n pids=()
    for ((i = 0; i < CONNECTIONS; i++)); do
        n=$((REQUESTS / CONNECTIONS + (i < REQUESTS % CONNECTIONS)))
        timeout 150 ab -k -r -s 60 -c 1 -n "$n" "$URL" >"$OUT/ab.$i.txt" 2>&1 &
        pids+=($!)
        sleep 0.01 # spread the connects a little, so fewer overflow the queue
    done
    for i in "${pids[@]}"; do wait "$i"; done
}

# total FIELD: FIELD ("Complete requests", ...) summed over the reports;
# ab leaves out Non-2xx responses when there were none.
total() {
    awk -F: -v f="$1" '$1 == f { sum += $2 } END { print sum + 0 }' "$OUT"/ab.*.txt
}

# failure_kinds: ab's breakdown of its failed requests, summed.
failure_kinds() {
    awk -F'[:,)]' '/^ +\(Connect:/ { c += $2; r += $4; l += $6; e += $8 }
                   END { printf "connect %d, receive %d, length %d, exceptions %d", c, r, l, e }' \
        "$OUT"/ab.*.txt
}

# first_error: "; " and the first complaint of an ab that stopped or
# stumbled (ab names the failed call, apr_...), if any.
first_error() {
    local line
    line=$(grep -h -m1 '^apr_' "$OUT"/ab.*.txt | head -n 1)
    [ -z "$line" ] || echo "; $line"
}

# check_load SECONDS: PASS if every request came back whole, 2xx and kept alive.
check_load() {
    local complete failed non2xx kept why
    complete=$(total "Complete requests")
    failed=$(total "Failed requests")
    non2xx=$(total "Non-2xx responses")
    kept=$(total "Keep-Alive requests")
    if [ "$complete" = "$REQUESTS" ] && [ "$failed" = 0 ] && [ "$non2xx" = 0 ] && [ "$kept" = "$REQUESTS" ]; then
        pass web_load_$REQUESTS
    else
        why="complete=$complete failed=$failed ($(failure_kinds)) non-2xx=$non2xx"
        why="$why keep-alive=$kept of $REQUESTS"
        fail web_load_$REQUESTS "$why after $1 s$(first_error) (see $OUT/ab.*.txt)"
    fi
}

# check_served_after: the file once more, byte for byte.
check_served_after() {
    if curl -s --max-time 15 -o "$OUT/after.html" "$URL" && cmp -s "$OUT/after.html" "$WWW/$TARGET"; then
        pass web_load_served_after
    else
        fail web_load_served_after "GET /$TARGET failed or differs from $WWW/$TARGET"
    fi
}

if ! command -v ab >/dev/null; then
    fail web_load_$REQUESTS "ab is not installed (scripts/install-deps.sh installs apache2-utils)"
    exit 0
fi
mkdir -p "$OUT"
rm -f "$OUT"/ab.*.txt
before=$(listen_overflows)
start=$(date +%s.%N)
run_ab
end=$(date +%s.%N)
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
echo "web_load: $(total "Complete requests") complete requests in $seconds s," \
    "$(awk -v n="$(total "Complete requests")" -v s="$seconds" 'BEGIN { printf "%d", n / s }') requests/s" \
    "over $CONNECTIONS connections; host accept-queue overflows meanwhile: $(($(listen_overflows) - before))"
check_load "$seconds"
check_served_after

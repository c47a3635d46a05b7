# Turns one wrk --latency report into bench figures (name: number lines)
# for the file named n: requests per second, and the 99th-percentile and
# worst latency in microseconds (wrk prints them with units: us, ms, s).
function micros(text) {
    if (text ~ /us$/) return text + 0
    if (text ~ /ms$/) return text * 1000
    if (text ~ /m$/) return text * 60000000
    return text * 1000000 # seconds
}
/^Requests\/sec:/ { printf "web_get_%s_requests_per_second: %d\n", n, $2; found = 1 }
$1 == "Latency" && NF >= 4 { worst = micros($4) }
$1 == "99%" { p99 = micros($2) }
END {
    if (p99 != "") printf "web_get_%s_latency_p99_us: %d\n", n, p99
    if (worst != "") printf "web_get_%s_latency_max_us: %d\n", n, worst
    exit !found
}

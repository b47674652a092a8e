#!/usr/bin/env bash
# Analytics benchmark: GET /api/analytics/pattern/{id} for a pattern with 1,000,000 executions in its window,
# uncached and cached over HTTP, beside the database's own time for the same statements (JDBC, same run), an
# EXPLAIN ANALYZE of each statement, the yearly window (8,760 hours), the trends ranking, and exact against histogram
# percentiles by window size (the exact-percentile threshold), then the cached answers from wrk when it is installed.
# Starts its own service on a fresh embedded
# PostgreSQL in a temporary folder (seeded with SQL: ~4 minutes) and stops it at the end. Prints Markdown tables.
# Usage: bench/analytics.sh [runs per row, default 200]     (BENCH_PLANS=1 also prints every plan)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-200}
PORT=${BENCH_HTTP_PORT:-18163}
PG_PORT=${BENCH_PG_PORT:-25463}
JAR=target/pattern-traceability.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
. bench/service.sh
start_service "$PORT" "$PG_PORT"
# the benchmark program compiles against a copy of the jar, so a rebuild during the run cannot pull classes away
cp "$JAR" "$WORK/bench.jar"
java -cp "$WORK/bench.jar" bench/AnalyticsBench.java "$PORT" "$PG_PORT" "$RUNS"

# The cached answers again from wrk (a C client, one connection, 5 s warm-up then 15 s): the JVM client above adds its
# own time and pauses to every request; wrk shows what the service answers in.
if command -v wrk >/dev/null; then
  printf '\n| cached (wrk, 1 connection, 15 s) | requests | HTTP p50 ms | HTTP p95 ms | HTTP p99 ms | errors |\n|---|---|---|---|---|---|\n'
  for window in monthly yearly; do
    url="http://127.0.0.1:$PORT/api/analytics/pattern/00000000-0000-4000-8000-00000000a001?time_window=$window"
    wrk -t1 -c1 -d5s "$url" > /dev/null
    echo "| $window, 1,000,000 executions | $(wrk -t1 -c1 -d15s -s bench/wrk-latency.lua "$url" | tail -1) |"
  done
fi

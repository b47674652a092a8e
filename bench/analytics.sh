#!/usr/bin/env bash
# Analytics benchmark: GET /api/analytics/pattern/{id} for a pattern with 1,000,000 executions in its window,
# uncached and cached over HTTP, beside the database's own time for the same statements (JDBC, same run), an
# EXPLAIN ANALYZE of each statement, the yearly window (8,760 hours), the trends ranking, and exact against histogram
# percentiles by window size (the exact-percentile threshold). Starts its own service on a fresh embedded
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

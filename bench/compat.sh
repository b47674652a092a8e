#!/usr/bin/env bash
# As-built API benchmark: POST /api/pattern-traceability/lineage/track with a 100 KB pattern_data.code (the live
# hook's request) from 16 concurrent clients, beside our own POST /api/lineage/track with the same code as
# template_code; latency percentiles, throughput and errors of each. Starts its own service on the embedded
# PostgreSQL (fresh, in a temporary folder) and stops it at the end; prints a table. The target: p99 under 50 ms and
# no error for the as-built endpoint (the live hook waits 2-5 s, inline in the developer's editor).
# Usage: bench/compat.sh [requests per client per round, default 100] [rounds, default 3] [interval ms per client,
#        default 0: closed loop; e.g. 200: each client sends every 200 ms]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/service.sh
start_service "${HTTP_PORT:-18353}" "${PG_PORT:-25732}" TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED=false \
  TRACEABILITY_CONSOLE_ENABLED=false
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -cp "$WORK/service.jar" bench/CompatBench.java "http://127.0.0.1:${HTTP_PORT:-18353}" "$PID" "${1:-100}" \
  "${2:-3}" "${3:-0}" "$WORK/postgres"

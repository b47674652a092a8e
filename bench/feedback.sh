#!/usr/bin/env bash
# Feedback-loop benchmark: one workflow over 100,000 executions in its window (end to end and per stage, beside the
# analyze stage's SQL alone), then 20 workflows at once for 20 patterns (20,000 executions each) while a probe sends
# single execution records, against the same probe alone. Starts its own service on its embedded PostgreSQL in a
# temporary folder (bench/service.sh); executions are seeded with SQL. Prints markdown tables.
# Usage: bench/feedback.sh [runs of A, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/service.sh
HTTP_PORT=${HTTP_PORT:-48053}
PG_PORT=${PG_PORT:-25533}
start_service "$HTTP_PORT" "$PG_PORT" TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED=false \
  TRACEABILITY_JOBS_DAILY_MAINTENANCE_ENABLED=false
DB="postgresql://postgres@127.0.0.1:$PG_PORT/omninode_bridge"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
java -cp "$WORK/service.jar" bench/FeedbackBench.java "http://127.0.0.1:$HTTP_PORT" "$DB" "${1:-5}"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

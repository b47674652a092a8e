#!/usr/bin/env bash
# Execution log benchmark: GET /api/executions pages of 100 over 10,000,000 executions (no filter, each filter, a
# page behind a cursor, a page deep in time), one client, each beside the same SQL function call through JDBC on one
# pooled connection in the same run (the database's own time). Starts its own service against the database BENCH_DB
# (default: a database executions_bench on the local PostgreSQL, created if missing), seeds it once with
# bench/sql/execution-log.sql (several minutes; later runs reuse it), prints a table.
# Usage: bench/executions.sh [requests per query, default 1000] [--drop: drop the database afterwards]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/service.sh
N=${1:-1000}
ADMIN=${BENCH_ADMIN_DB:-postgresql://postgres@127.0.0.1:5432/postgres}
DB=${BENCH_DB:-postgresql://postgres@127.0.0.1:5432/executions_bench}
ensure_database "$ADMIN" "$DB"
start_service "${HTTP_PORT:-18173}" "${PG_PORT:-25573}" TRACEABILITY_DB_URL_EXTERNAL="$DB" \
  TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED=false TRACEABILITY_JOBS_DAILY_MAINTENANCE_ENABLED=false
if [ "$(psql -qAt "$DB" -c 'SELECT count(*) FROM hook_executions')" -lt 10000000 ]; then
  echo "seeding 10,000,000 executions ($(date -u +%H:%M:%S))" >&2
  psql -q "$DB" -c 'TRUNCATE hook_executions' >&2
  time psql -q -o /dev/null "$DB" -f bench/sql/execution-log.sql >&2
fi
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
java -cp "$WORK/service.jar" bench/ExecutionLogBench.java "http://127.0.0.1:${HTTP_PORT:-18173}" "$DB" "$N"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ "${2:-}" = "--drop" ]; then
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true
  psql -q "$ADMIN" -c "DROP DATABASE ${DB##*/} WITH (FORCE)"
fi

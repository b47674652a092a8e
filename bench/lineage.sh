#!/usr/bin/env bash
# Lineage read benchmark: path, ancestors and descendants on a 1,000,000-node graph (depth-50 chains with forks and
# merges), and pattern search over 100,000 patterns, over HTTP, each beside the same SQL run straight over JDBC in
# the same run (the database's own time). Starts its own service against the database BENCH_DB (default: a
# database lineage_bench on the local PostgreSQL, created if missing), seeds it once with
# bench/sql/lineage-graph.sql (a few minutes; later runs reuse it), prints a table.
# Usage: bench/lineage.sh [requests per query, default 1000] [--drop: drop the database afterwards]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/service.sh
N=${1:-1000}
ADMIN=${BENCH_ADMIN_DB:-postgresql://postgres@127.0.0.1:5432/postgres}
DB=${BENCH_DB:-postgresql://postgres@127.0.0.1:5432/lineage_bench}
name=${DB##*/}
psql -qAt "$ADMIN" -c "SELECT 1 FROM pg_database WHERE datname = '$name'" | grep -q 1 \
  || psql -q "$ADMIN" -c "CREATE DATABASE $name"
start_service "${HTTP_PORT:-18153}" "${PG_PORT:-25532}" TRACEABILITY_DB_URL_EXTERNAL="$DB" \
  TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED=false
if [ "$(psql -qAt "$DB" -c 'SELECT count(*) FROM lineage_nodes')" -lt 1080000 ]; then
  echo "seeding the graph ($(date -u +%H:%M:%S))" >&2
  psql -q "$DB" -c 'TRUNCATE lineage_edges, lineage_nodes, lineage_patterns CASCADE' >&2
  time psql -q "$DB" -f bench/sql/lineage-graph.sql >&2
fi
java -cp "$WORK/service.jar" bench/LineageBench.java "http://127.0.0.1:${HTTP_PORT:-18153}" "$DB" "$N"
if [ "${2:-}" = "--drop" ]; then
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true
  psql -q "$ADMIN" -c "DROP DATABASE $name WITH (FORCE)"
fi

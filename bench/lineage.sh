#!/usr/bin/env bash
# Lineage read benchmark: path, ancestors and descendants on a 1,000,000-node graph (depth-50 chains with forks and
# merges), and pattern search over 100,000 patterns, over HTTP, each beside the same SQL run straight over JDBC in
# the same run (the database's own time). Starts its own service against the database BENCH_DB (default: a
# database lineage_bench on the local PostgreSQL, created if missing), seeds it once with
# bench/sql/lineage-graph.sql (a few minutes; later runs reuse it), prints a table; then the graph reads again from
# wrk (a C client) when it is installed.
# Usage: bench/lineage.sh [requests per query, default 1000] [--drop: drop the database afterwards]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/service.sh
N=${1:-1000}
ADMIN=${BENCH_ADMIN_DB:-postgresql://postgres@127.0.0.1:5432/postgres}
DB=${BENCH_DB:-postgresql://postgres@127.0.0.1:5432/lineage_bench}
ensure_database "$ADMIN" "$DB"
start_service "${HTTP_PORT:-18153}" "${PG_PORT:-25532}" TRACEABILITY_DB_URL_EXTERNAL="$DB" \
  TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED=false
if [ "$(psql -qAt "$DB" -c 'SELECT count(*) FROM lineage_nodes')" -lt 1080000 ]; then
  echo "seeding the graph ($(date -u +%H:%M:%S))" >&2
  psql -q "$DB" -c 'TRUNCATE lineage_edges, lineage_nodes, lineage_patterns CASCADE' >&2
  time psql -q "$DB" -f bench/sql/lineage-graph.sql >&2
fi
java -cp "$WORK/service.jar" bench/LineageBench.java "http://127.0.0.1:${HTTP_PORT:-18153}" "$DB" "$N"

# The same graph reads from wrk (a C client, one connection, 20 s warm-up then 15 s): the JVM client above adds its own
# time and pauses to every request, wrk shows what the service answers in. Nodes as LineageBench picks them.
if command -v wrk >/dev/null; then
  printf '\n| query (wrk, 1 connection, 15 s) | requests | HTTP p50 ms | HTTP p95 ms | HTTP p99 ms | errors |\n|---|---|---|---|---|---|\n'
  for q in "path of version 50:k:path/' || md5('n' || k || ':50')::uuid" \
           "ancestors of a forked pattern's v50:k * 10 + 5:ancestors/' || md5('n' || (k * 10 + 5) || ':50')::uuid" \
           "descendants of a fork source's v1:k * 10:descendants/' || md5('n' || (k * 10) || ':1')::uuid"; do
    IFS=: read -r label pattern tail <<< "$q"
    psql -qAt "$DB" -c "SELECT '/api/lineage/' || md5('p' || ($pattern))::uuid || '/$tail
                          FROM (SELECT (random() * CASE WHEN '$pattern' = 'k' THEN 19999 ELSE 1999 END)::int AS k
                                  FROM generate_series(1, 1000)) r" > "$WORK/paths.txt"
    PATHS="$WORK/paths.txt" wrk -t1 -c1 -d20s -s bench/wrk-latency.lua "http://127.0.0.1:${HTTP_PORT:-18153}" > /dev/null
    echo "| $label | $(PATHS="$WORK/paths.txt" wrk -t1 -c1 -d15s -s bench/wrk-latency.lua \
      "http://127.0.0.1:${HTTP_PORT:-18153}" | tail -1) |"
  done
fi
if [ "${2:-}" = "--drop" ]; then
  kill -TERM "$PID"; wait "$PID" 2>/dev/null || true
  psql -q "$ADMIN" -c "DROP DATABASE ${DB##*/} WITH (FORCE)"
fi

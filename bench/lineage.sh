#!/usr/bin/env bash
# Lineage read benchmark: path, ancestors and descendants on a 1,000,000-node graph (depth-50 chains with forks and
# merges), and pattern search over 100,000 patterns, over HTTP, each beside the same SQL run straight over JDBC in
# the same run (the database's own time). Starts its own service on its embedded PostgreSQL in a temporary folder,
# seeds it with bench/sql/lineage-graph.sql (about a minute), prints a table.
# Usage: bench/lineage.sh [requests per query, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/service.sh
HTTP_PORT=${HTTP_PORT:-18153}
PG_PORT=${PG_PORT:-25532}
start_service "$HTTP_PORT" "$PG_PORT" TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED=false
DB="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
echo "seeding the graph ($(date -u +%H:%M:%S))" >&2
time psql -q "$DB" -f bench/sql/lineage-graph.sql >&2
java -cp "$WORK/service.jar" bench/LineageBench.java "http://127.0.0.1:$HTTP_PORT" "$DB" "${1:-1000}"

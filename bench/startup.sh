#!/usr/bin/env bash
# Start-up time to healthy: wall time from `java -jar` to the first GET /health answering 200 "healthy",
# on the embedded default, from an empty data directory and from an existing one. Prints a table.
# Usage: bench/startup.sh [runs]        (builds the jar first if it is missing)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
JAR=target/pattern-traceability.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
PORT=${BENCH_HTTP_PORT:-18053}
PG_PORT=${BENCH_PG_PORT:-25432}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

time_to_healthy() { # $1 = data dir; prints milliseconds
  local start end pid
  start=$(date +%s%N)
  TRACEABILITY_HTTP_PORT=$PORT TRACEABILITY_HTTP_HOST=127.0.0.1 TRACEABILITY_DB_EMBEDDED_PORT=$PG_PORT \
    TRACEABILITY_DB_EMBEDDED_DATA_DIR="$1" TRACEABILITY_DB_URL_EXTERNAL= \
    java -jar "$JAR" > "$WORK/service.log" 2>&1 &
  pid=$!
  until curl -fs "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q '^{"status":"healthy"'; do
    kill -0 $pid 2>/dev/null || { cat "$WORK/service.log"; exit 1; }
    sleep 0.02
  done
  end=$(date +%s%N)
  local t0; t0=$(date +%s%N)
  kill -TERM $pid; wait $pid || true
  echo $(( ($(date +%s%N) - t0) / 1000000 )) >> "$WORK/shutdown-ms"
  # second column: the embedded PostgreSQL's own start (initdb included when the directory was empty)
  echo "$(( (end - start) / 1000000 )) $(sed -n 's/.*Embedded PostgreSQL started in \([0-9]*\) ms.*/\1/p' "$WORK/service.log")"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

empty=(); existing=(); empty_pg=(); existing_pg=()
for i in $(seq "$RUNS"); do
  dir="$WORK/data-$i/postgres"
  read -r total pg < <(time_to_healthy "$dir"); empty+=("$total"); empty_pg+=("$pg")
  read -r total pg < <(time_to_healthy "$dir"); existing+=("$total"); existing_pg+=("$pg")
done

row() { # label target values... ; the PostgreSQL-only median comes from the arrays named in $3
  local label=$1 target=$2; shift 2
  local pg_median=$1; shift
  printf '%-34s %8s %8s %8s %12s %8s\n' "$label" "$(printf '%s\n' "$@" | sort -n | head -1)" \
    "$(printf '%s\n' "$@" | median)" "$(printf '%s\n' "$@" | sort -n | tail -1)" "$pg_median" "$target"
}
printf '\n%-34s %8s %8s %8s %12s %8s\n' "start-up to healthy ($RUNS runs)" "min ms" "median" "max ms" "postgres ms" "target"
row "empty data dir (initdb)" 10000 "$(printf '%s\n' "${empty_pg[@]}" | median)" "${empty[@]}"
row "existing data dir" 5000 "$(printf '%s\n' "${existing_pg[@]}" | median)" "${existing[@]}"
echo "(postgres ms: median time of the embedded PostgreSQL start alone, the floor under the total)"
printf '\n%-34s %8s %8s %8s\n' "SIGTERM to exit, all runs" "min ms" "median" "max ms"
printf '%-34s %8s %8s %8s\n' "(pool closed, postgres stopped)" "$(sort -n "$WORK/shutdown-ms" | head -1)" \
  "$(median < "$WORK/shutdown-ms")" "$(sort -n "$WORK/shutdown-ms" | tail -1)"

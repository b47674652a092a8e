#!/usr/bin/env bash
# HTTP single events with wrk, next to what PostgreSQL alone does with the same rows, in one run on one machine.
#  1. the service (embedded PostgreSQL, fsync on) takes pattern_created events with fresh ids from wrk (a C load
#     generator: it leaves more of the machine to the service than a JVM client) on 32 keep-alive connections,
#     then on 128; CPU time of the service, PostgreSQL and wrk is read from /proc for each window, so the table
#     shows what one request costs each of them;
#  2. pgbench on the same database: one event per transaction from 32 clients (what the service would get without
#     group commit) and 32 events per transaction from one client (group commit's best case at 32 clients), with the
#     SQL in bench/sql/.
# Usage: bench/http-wrk.sh [seconds per window, default 30]      (needs wrk and pgbench: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-30}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
PGBENCH=$(command -v pgbench || ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1)
[ -x "$PGBENCH" ] || { echo "pgbench is not installed (it comes with the postgresql server package)"; exit 1; }
PORT=${BENCH_HTTP_PORT:-18153}
PG_PORT=${BENCH_PG_PORT:-25453}
PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/omninode_bridge"
. bench/service.sh
start_service "$PORT" "$PG_PORT"

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
math.randomseed(os.time() + tonumber(string.sub(tostring({}), 8), 16))
local function uuid()
  return (string.gsub('xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx', '[xy]', function (c)
    return string.format('%x', (c == 'x') and math.random(0, 0xf) or math.random(8, 0xb))
  end))
end
request = function()
  return wrk.format(nil, nil, nil, '{"event_type":"pattern_created","pattern_id":"' .. uuid() .. '","source":"wrk"}')
end
done = function(summary, latency, requests)
  io.write(string.format("non-2xx: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
URL="http://127.0.0.1:$PORT/api/lineage/track"

# CPU time in clock ticks: the service's JVM; PostgreSQL's postmaster with its live backends and the ones that
# have exited (the postmaster's children time); and this shell's finished children (wrk, pgbench) from `times`.
TICK=$(getconf CLK_TCK)
PG_PID=$(head -1 "$WORK/postgres/postmaster.pid")
svc_cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
pg_cpu() {
  local t; t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PG_PID/stat")
  for p in $(pgrep -P "$PG_PID"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
child_cpu() { # sets CHILD; `times` must run in this shell, not in a $(...) subshell
  times > "$WORK/times"
  CHILD=$(awk -v tick="$TICK" 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/);
    printf "%d", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * tick }' "$WORK/times")
}
commits() { curl -s "http://127.0.0.1:$PORT/observe/metrics" | awk '/^ingest_commit_batch_size_count/ {c=$2}
  /^ingest_commit_batch_size_sum/ {s=$2} END {printf "%d %d", c, s}'; }
us_per() { echo $(( $1 * 1000000 / TICK / ($2 > 0 ? $2 : 1) )); } # ticks, events -> µs per event
ROWS=()
run_wrk() { # connections
  local s0 p0 w0 c0 e0 s1 p1 w1 c1 e1 rps n
  read -r c0 e0 <<< "$(commits)"; s0=$(svc_cpu); p0=$(pg_cpu); child_cpu; w0=$CHILD
  wrk -t1 -c"$1" -d"${SECS}s" --latency -s "$WORK/post.lua" "$URL" > "$WORK/wrk-$1.out"
  child_cpu; w1=$CHILD; s1=$(svc_cpu); p1=$(pg_cpu); read -r c1 e1 <<< "$(commits)"
  rps=$(awk '/^Requests\/sec/ {printf "%d", $2}' "$WORK/wrk-$1.out")
  n=$(awk '/requests in/ {print $1}' "$WORK/wrk-$1.out")
  ROWS+=("| service, HTTP single events, $1 connections (wrk) | $rps | $(awk '$1 == "50%" {print $2}' "$WORK/wrk-$1.out") \
| $(awk '$1 == "99%" {print $2}' "$WORK/wrk-$1.out") | $(( (e1 - e0) / (c1 > c0 ? c1 - c0 : 1) )) \
| $(us_per $((s1 - s0)) "$n") | $(us_per $((p1 - p0)) "$n") | $(us_per $((w1 - w0)) "$n") \
| $(awk -F'[:,]' '/^non-2xx/ {print $2 + $4}' "$WORK/wrk-$1.out") |")
}
run_pgbench() { # label script clients events-per-transaction
  local p0 p1 b0 b1 n
  p0=$(pg_cpu); child_cpu; b0=$CHILD
  "$PGBENCH" -n -M prepared -c"$3" -j1 -T"$SECS" -f "bench/sql/$2" "$PG_URL" > "$WORK/$2.out" 2>&1 || true
  sleep 1 # the postmaster reaps the exited backends and adds their CPU time to its own children time
  p1=$(pg_cpu); child_cpu; b1=$CHILD
  n=$(( $(awk '/^number of transactions actually processed/ {print $NF}' "$WORK/$2.out") * $4 ))
  ROWS+=("| $1 | $(( n / SECS )) | | | $4 | | $(us_per $((p1 - p0)) "$n") | $(us_per $((b1 - b0)) "$n") (pgbench) \
| $(awk '/^number of failed transactions/ {print $5}' "$WORK/$2.out") |")
}

wrk -t1 -c32 -d10s -s "$WORK/post.lua" "$URL" > /dev/null   # warm-up: JIT, pool, partitions' first pages
run_wrk 32
run_wrk 128
run_pgbench "PostgreSQL alone: one event per transaction, 32 clients (pgbench)" pg-one-event.sql 32 1
run_pgbench "PostgreSQL alone: 32 events per transaction, 1 client (pgbench)" pg-batch-32.sql 1 32

echo
echo "| scenario | events/s | p50 | p99 | events per commit | service µs CPU/event | PostgreSQL µs CPU/event | load generator µs CPU/event | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
stored=$(psql -At "$PG_URL" -c "SELECT count(*) FROM lineage_events WHERE source = 'wrk'")
echo
echo "rows from wrk in lineage_events (warm-up included): $stored; ${SECS} s per window"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

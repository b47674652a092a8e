#!/usr/bin/env bash
# HTTP single events with wrk (a C load generator: it leaves more of this 2-core machine to the service than a JVM
# client does). 32 keep-alive connections post pattern_created events with fresh ids to /api/lineage/track for
# 30 s after a 10 s warm-up; prints wrk's latency distribution and checks every request got 201.
# Usage: bench/http-wrk.sh [seconds]      (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-30}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
JAR=target/pattern-traceability.jar
[ -f "$JAR" ] || ./mvnw -q -B package -DskipTests
WORK=$(mktemp -d)
PORT=${BENCH_HTTP_PORT:-18153}
PG_PORT=${BENCH_PG_PORT:-25453}
cp "$JAR" "$WORK/service.jar"
TRACEABILITY_HTTP_PORT=$PORT TRACEABILITY_HTTP_HOST=127.0.0.1 TRACEABILITY_DB_EMBEDDED_PORT=$PG_PORT \
  TRACEABILITY_DB_EMBEDDED_DATA_DIR="$WORK/postgres" TRACEABILITY_DB_URL_EXTERNAL= \
  java -jar "$WORK/service.jar" > "$WORK/service.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 240); do
  curl -fs "http://127.0.0.1:$PORT/health" 2>/dev/null | grep -q '^{"status":"healthy"' && break
  sleep 0.5
done

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
  io.write(string.format("non-2xx: %d\n", summary.errors.status))
end
LUA
URL="http://127.0.0.1:$PORT/api/lineage/track"
wrk -t1 -c32 -d10s -s "$WORK/post.lua" "$URL" > /dev/null
wrk -t1 -c32 -d"${SECONDS_RUN}s" --latency -s "$WORK/post.lua" "$URL" | tee "$WORK/wrk.out"
stored=$(psql -At "postgresql://postgres@127.0.0.1:$PG_PORT/postgres" -c "SELECT count(*) FROM lineage_events WHERE source = 'wrk'")
batches=$(curl -s "http://127.0.0.1:$PORT/observe/metrics" | awk '/^ingest_commit_batch_size_count/ {c=$2} /^ingest_commit_batch_size_sum/ {s=$2} END {printf "%.1f", s/c}')
echo "rows in lineage_events from wrk (warm-up included): $stored; mean items per commit: $batches"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

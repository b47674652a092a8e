#!/usr/bin/env bash
# smoke_test.sh [SERVICE_URL]: the runbook's smoke_test_phase4.sh for this service, run after a deploy, an upgrade, a
# rollback or a restore. Through the public API only, it checks that the service is healthy, stores a lineage event
# (and recognises it when sent again), derives a second version, reads the lineage back, stores and reads back an
# execution record, answers analytics, the feedback loop's status and the metrics. Each step prints ✅ or ❌ with
# what it got; exit 1 when any step failed, 0 otherwise.
#
# It writes one pattern per run, named smoke-test-<uuid> (pattern_type smoke_test, source smoke_test), with one
# execution record, and deprecates it at the end: filter them out with pattern_type <> 'smoke_test'.
#   SERVICE_URL (argument) or ARCHON_SERVICE_URL   the service's API (default http://localhost:8053)
# Needs curl.
set -u
BASE="${1:-${ARCHON_SERVICE_URL:-http://localhost:8053}}"
BASE="${BASE%/}"
case "$BASE" in http://*|https://*) ;; *) echo "usage: $0 [http://host:port]  (got '$BASE')" >&2; exit 2 ;; esac
command -v curl >/dev/null || { echo "❌ curl not found (Debian: apt-get install curl)"; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
uuid() { cat /proc/sys/kernel/random/uuid 2>/dev/null || uuidgen | tr 'A-Z' 'a-z'; }
PATTERN=$(uuid)
EVENT=$(uuid)
EXECUTION=$(uuid)
failed=()

# call NAME METHOD PATH EXPECTED_STATUS [JSON_BODY]: the answer's body is left in $WORK/body
call() {
  local name=$1 method=$2 path=$3 expected=$4 body=${5:-} code
  local args=(-sS -o "$WORK/body" -w '%{http_code}' --max-time 30 -X "$method" "$BASE$path")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  if ! code=$(curl "${args[@]}" 2>"$WORK/err"); then
    echo "❌ $name: no answer from $BASE$path ($(head -c 300 "$WORK/err"))"
    failed+=("$name")
    return 1
  fi
  if [ "$code" != "$expected" ]; then
    echo "❌ $name: $method $path answered $code, expected $expected: $(head -c 400 "$WORK/body")"
    failed+=("$name")
    return 1
  fi
  return 0
}

# expect NAME TEXT...: the last answer's body contains every TEXT
expect() {
  local name=$1 text
  shift
  for text in "$@"; do
    if ! grep -qF -- "$text" "$WORK/body"; then
      echo "❌ $name: the answer lacks $text: $(head -c 400 "$WORK/body")"
      failed+=("$name")
      return 1
    fi
  done
  echo "✅ $name"
}

echo "Smoke test of $BASE (pattern $PATTERN)"
if ! call "Health" GET /health 200; then
  echo "Smoke test FAILED: the service does not answer healthy"
  exit 1
fi
expect "Health" '"status":"healthy"'
for endpoint in /api/lineage/health /api/analytics/health /api/feedback-loop/health; do
  call "Health $endpoint" GET "$endpoint" 200 && expect "Health $endpoint" '"status"'
done

created="{\"event_type\":\"pattern_created\",\"event_id\":\"$EVENT\",\"pattern_id\":\"$PATTERN\",
  \"pattern_name\":\"smoke-test-$PATTERN\",\"pattern_type\":\"smoke_test\",\"source\":\"smoke_test\",
  \"template_code\":\"print('smoke')\"}"
call "Track pattern_created" POST /api/lineage/track 201 "$created" \
  && expect "Track pattern_created" '"status":"stored"' '"version_number":1'
call "Same event again is a duplicate" POST /api/lineage/track 200 "$created" \
  && expect "Same event again is a duplicate" '"status":"duplicate"'
call "Track pattern_modified" POST /api/lineage/track 201 \
  "{\"event_type\":\"pattern_modified\",\"pattern_id\":\"$PATTERN\",\"source\":\"smoke_test\"}" \
  && expect "Track pattern_modified" '"status":"stored"' '"version_number":2'
call "Read lineage" GET "/api/lineage/$PATTERN" 200 \
  && expect "Read lineage" "$PATTERN" '"version_number":2' 'DERIVED_FROM'

call "Store execution" POST /api/executions 201 \
  "{\"execution_id\":\"$EXECUTION\",\"pattern_id\":\"$PATTERN\",\"status\":\"success\",\"duration_ms\":12.5,
    \"quality_score\":0.9,\"hook_type\":\"smoke_test\",\"agent\":\"smoke_test\"}" \
  && expect "Store execution" "$EXECUTION"
call "Read executions" GET "/api/executions?pattern_id=$PATTERN" 200 && expect "Read executions" "$EXECUTION"
call "Analytics" GET "/api/analytics/pattern/$PATTERN?time_window=daily" 200 \
  && expect "Analytics" "$PATTERN" '"usage_metrics"'
call "Feedback loop status" GET /api/feedback-loop/status 200 && expect "Feedback loop status" '"active_workflows"'
call "Metrics" GET /metrics 200 && expect "Metrics" 'lineage_operations_total' 'db_pool_connections_available'

call "Deprecate the smoke pattern" POST /api/lineage/track 201 \
  "{\"event_type\":\"pattern_deprecated\",\"pattern_id\":\"$PATTERN\",\"source\":\"smoke_test\"}" \
  && expect "Deprecate the smoke pattern" '"status":"stored"'

if [ ${#failed[@]} -gt 0 ]; then
  echo "Smoke test FAILED: ${failed[*]}"
  exit 1
fi
echo "Smoke test passed"

#!/usr/bin/env bash
# health_check.sh: the runbook's health_check_phase4.sh against this service (ops/scripts/health_check_phase4.sh is
# the same script under the runbook's name). Checks, in order: the database answers; the contract tables are there;
# GET /health says healthy; the lineage, analytics and feedback-loop health endpoints answer 200; no lineage edge
# points to a missing node. Every check runs and prints ✅ or ❌ with what failed; exit 1 when any failed (orphaned
# edges are a warning, as in the runbook), 0 otherwise.
#
#   ARCHON_SERVICE_URL            the service's API (default http://localhost:8053)
#   TRACEABILITY_DB_URL_EXTERNAL  its database, libpq URI (default: the embedded server,
#                                 postgresql://postgres@127.0.0.1:15432/omninode_bridge)
# Needs curl and psql (Debian: apt-get install curl postgresql-client-15).
set -u
SERVICE_URL="${ARCHON_SERVICE_URL:-http://localhost:8053}"
DB_URL="${TRACEABILITY_DB_URL_EXTERNAL:-postgresql://postgres@127.0.0.1:15432/omninode_bridge}"
export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"
failed=()

ok() { echo "✅ $1"; }
fail() { echo "❌ $1"; failed+=("$1"); }
sql() { psql "$DB_URL" -X -q -At -v ON_ERROR_STOP=1 -c "$1" 2>&1; }

echo "Checking Phase 4 Health ($SERVICE_URL, database $(sed -E 's#(://[^:/@]*):[^@]*@#\1:***@#' <<<"$DB_URL"))..."

for tool in curl psql; do
  command -v "$tool" >/dev/null || fail "Tools: $tool not found (Debian: apt-get install ${tool/psql/postgresql-client-15})"
done

# 1. Database connectivity
if ! command -v psql >/dev/null; then
  fail "Database: not checked (no psql)"
elif out=$(sql "SELECT 1"); then
  ok "Database: Connected"
  # 2. Contract tables
  missing=$(sql "SELECT string_agg(t, ', ') FROM unnest(ARRAY['lineage_nodes', 'lineage_edges', 'lineage_events',
                   'lineage_events_archive', 'hook_executions']) AS t WHERE to_regclass(t) IS NULL")
  if [ $? -ne 0 ]; then
    fail "Tables: could not check ($missing)"
  elif [ -z "$missing" ]; then
    ok "Tables: All present"
  else
    fail "Tables: Missing $missing (restore: see ops/RUNBOOK.md, Scenario 2)"
  fi
  # 4. Lineage data integrity (a warning, as in the runbook)
  orphaned=$(sql "SELECT count(*) FROM lineage_edges e
                  WHERE NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.source_node_id)
                     OR NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.target_node_id)")
  if [ $? -ne 0 ]; then
    echo "⚠️  Data Integrity: not checked ($orphaned)"
  elif [ "$orphaned" -eq 0 ]; then
    ok "Data Integrity: No orphaned edges"
  else
    echo "⚠️  Data Integrity: $orphaned orphaned edges found (ops/RUNBOOK.md, alert Phase4OrphanedEdges)"
  fi
else
  fail "Database: Connection failed ($(head -1 <<<"$out"))"
fi

# 3. Service health endpoints
if command -v curl >/dev/null; then
  if body=$(curl -sS --max-time 10 "$SERVICE_URL/health" 2>&1); then
    if grep -q '^{"status":"healthy"' <<<"$body"; then
      ok "Service: Healthy"
    else
      fail "Service: Not healthy: $(cut -c1-400 <<<"$body")"
    fi
    for endpoint in /api/lineage/health /api/analytics/health /api/feedback-loop/health; do
      code=$(curl -s -o /dev/null --max-time 10 -w '%{http_code}' "$SERVICE_URL$endpoint")
      if [ "$code" = 200 ]; then
        ok "Service: $endpoint answers 200"
      else
        fail "Service: $endpoint answers $code"
      fi
    done
  else
    fail "Service: No answer from $SERVICE_URL/health ($body)"
  fi
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "Phase 4 health check FAILED: ${#failed[@]} check(s) failed"
  exit 1
fi
echo "Phase 4 health check completed"

#!/usr/bin/env bash
# The runbook's health check, against this service. Exit 1 when the database, the contract tables or the
# service are not healthy; a warning (exit 0) for orphaned edges.
# Needs psql and curl. TRACEABILITY_DB_URL_EXTERNAL defaults to the embedded database on 127.0.0.1:15432.
set -u
SERVICE_URL="${ARCHON_SERVICE_URL:-http://localhost:8053}"
DB_URL="${TRACEABILITY_DB_URL_EXTERNAL:-postgresql://postgres@127.0.0.1:15432/postgres}"

echo "Checking Phase 4 Health..."

if psql "$DB_URL" -c "SELECT 1" > /dev/null 2>&1; then
  echo "✅ Database: Connected"
else
  echo "❌ Database: Connection failed"
  exit 1
fi

TABLES=$(psql "$DB_URL" -At -c "
  SELECT COUNT(*) FROM information_schema.tables
  WHERE table_name IN ('lineage_nodes', 'lineage_edges', 'lineage_events')")
if [ "$TABLES" -eq 3 ]; then
  echo "✅ Tables: All present"
else
  echo "❌ Tables: Missing tables"
  exit 1
fi

if curl -s "$SERVICE_URL/health" | grep -q '"status":"healthy"'; then
  echo "✅ Service: Healthy"
else
  echo "❌ Service: Unhealthy"
  exit 1
fi

ORPHANED_EDGES=$(psql "$DB_URL" -At -c "
  SELECT COUNT(*) FROM lineage_edges e
  WHERE NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.source_node_id)
     OR NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.target_node_id)")
if [ "$ORPHANED_EDGES" -eq 0 ]; then
  echo "✅ Data Integrity: No orphaned edges"
else
  echo "⚠️  Data Integrity: $ORPHANED_EDGES orphaned edges found"
fi

echo "Phase 4 health check completed"

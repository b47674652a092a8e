#!/usr/bin/env bash
# backup_phase4_data.sh: the runbook's backup script, fixed for this system. Use this one, not the runbook's text:
# lineage_events (and lineage_events_archive, hook_executions) are partitioned by month, and PostgreSQL 15's
# `pg_dump --table=lineage_events` dumps the parent's definition without any partition's rows, so the runbook's
# version writes a dump with no events and still exits 0. This one dumps the partitions, verifies that the dump
# holds data for every lineage table (else exits 1 and keeps no dump), and writes the same sidecar the service's
# backup job writes (<dump>.json: size, sha256), so the service counts it as verified (restore latest, retention).
#
# Same variables and file names as the runbook: TRACEABILITY_DB_URL_EXTERNAL (libpq URI), ARCHON_BACKUP_DIR,
# phase4_lineage_<YYYYMMDD_HHMMSS>.dump and phase4_schema_<...>.sql.gz. Needs pg_dump/pg_restore of the server's
# major version (Debian: apt-get install postgresql-client-15). The service's own backup job (daily 02:00, or
# POST /api/admin/jobs/backup/run, or `java -jar pattern-traceability.jar backup`) does the same without cron.
set -euo pipefail

: "${TRACEABILITY_DB_URL_EXTERNAL:?set TRACEABILITY_DB_URL_EXTERNAL to the database (postgresql://user@host:port/db)}"
BACKUP_DIR="${ARCHON_BACKUP_DIR:-/var/backups/archon/phase4}"
RETENTION_DAYS="${RETENTION_DAYS:-30}"
TIMESTAMP=$(date -u +%Y%m%d_%H%M%S)
DUMP="phase4_lineage_$TIMESTAMP.dump"
SCHEMA="phase4_schema_$TIMESTAMP.sql"

mkdir -p "$BACKUP_DIR"
cd "$BACKUP_DIR"
trap 'rm -f ".$DUMP.partial" ".$SCHEMA.partial" ".$DUMP.json.partial"' EXIT

# Lineage tables with their partitions and the archive, executions, the idempotency keys: the service's backup set.
TABLES=(--table=lineage_nodes --table=lineage_edges --table=lineage_events --table='lineage_events_*'
        --table=lineage_event_keys --table=hook_executions --table='hook_executions_*' --table=hook_execution_keys)

pg_dump "$TRACEABILITY_DB_URL_EXTERNAL" "${TABLES[@]}" --format=custom --file=".$DUMP.partial"

# Verify: every lineage table has data in the dump (a partitioned one through its partitions).
listing=$(pg_restore --list ".$DUMP.partial")
missing=()
for table in lineage_nodes lineage_edges; do
  grep -Eq " TABLE DATA [^ ]+ $table " <<<"$listing" || missing+=("$table")
done
for table in lineage_events lineage_events_archive; do
  grep -Eq " TABLE DATA [^ ]+ ${table}_([0-9]{4}_[0-9]{2}|default) " <<<"$listing" || missing+=("$table (its partitions)")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "❌ Phase 4 backup FAILED: the dump has no data for ${missing[*]}; no dump kept" >&2
  exit 1
fi

pg_dump "$TRACEABILITY_DB_URL_EXTERNAL" --schema-only "${TABLES[@]}" --file=".$SCHEMA.partial"
gzip -c ".$SCHEMA.partial" > "$SCHEMA.gz"
mv ".$DUMP.partial" "$DUMP"
size=$(stat -c %s "$DUMP")
sha=$(sha256sum "$DUMP" | cut -d' ' -f1)
entries=$(grep -c " TABLE DATA " <<<"$listing")
cat > ".$DUMP.json.partial" <<JSON
{"file":"$DUMP","size_bytes":$size,"sha256":"$sha","verified":"pg_restore --list: $entries TABLE DATA entries","schema_file":"$SCHEMA.gz","written_by":"ops/scripts/backup_phase4_data.sh","created_at":"$(date -u +%Y-%m-%dT%H:%M:%SZ)"}
JSON
mv ".$DUMP.json.partial" "$DUMP.json"

# Keep RETENTION_DAYS days, never the dump just made.
find . -maxdepth 1 \( -name 'phase4_lineage_*.dump' -o -name 'phase4_lineage_*.dump.json' \
  -o -name 'phase4_schema_*.sql.gz' \) -mtime +"$RETENTION_DAYS" ! -name "$DUMP*" -delete

echo "✅ Phase 4 backup completed: $BACKUP_DIR/$DUMP ($size bytes, $entries tables with data, sha256 $sha)"

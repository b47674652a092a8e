#!/usr/bin/env bash
# Maintenance at scale, against the runbook's way, in one run on one database (the service's embedded PostgreSQL):
#  1. archival of 10 % of an ARCHIVE_ROWS-row lineage_events table (default 10,000,000): the archival job (whole
#     months by DETACH/ATTACH) vs the runbook's INSERT ... SELECT + DELETE + VACUUM FULL on an unpartitioned copy of
#     the same rows; with a probe inserting one event every 100 ms meanwhile, to show what each blocks;
#  2. backup (verified pg_dump) and single-pattern restore with BACKUP_ROWS events (default 1,000,000).
# Usage: bench/maintenance.sh [archive_rows] [backup_rows]      (needs psql, pg_dump, pg_restore)
set -euo pipefail
cd "$(dirname "$0")/.."
ARCHIVE_ROWS=${1:-10000000}
BACKUP_ROWS=${2:-1000000}
PORT=${BENCH_HTTP_PORT:-18163}
PG_PORT=${BENCH_PG_PORT:-25463}
DB="postgresql://postgres@127.0.0.1:$PG_PORT/omninode_bridge"
. bench/service.sh
WORK=$(mktemp -d)
start_service "$PORT" "$PG_PORT" ARCHON_BACKUP_DIR="$WORK/backups" \
  TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED=false TRACEABILITY_JOBS_ARCHIVAL_ENABLED=false \
  TRACEABILITY_JOBS_BACKUP_ENABLED=false TRACEABILITY_DB_STATEMENT_TIMEOUT=1h
q() { psql -X -q -At "$DB" -c "$1"; }
ms() { date +%s%3N; }

# Runs a job through the admin endpoint and waits for it; prints its duration in ms from job_runs.
run_job() { # $1 job, $2 JSON body for restore (optional)
  local id
  if [ "$1" = restore ]; then
    id=$(curl -fs -XPOST "http://127.0.0.1:$PORT/api/admin/restore" -H 'Content-Type: application/json' -d "$2" \
      | sed 's/.*"run_id":"\([^"]*\)".*/\1/')
  else
    id=$(curl -fs -XPOST "http://127.0.0.1:$PORT/api/admin/jobs/$1/run" | sed 's/.*"run_id":"\([^"]*\)".*/\1/')
  fi
  until [ "$(q "SELECT status FROM job_runs WHERE run_id = '$id'")" != running ]; do sleep 0.2; done
  [ "$(q "SELECT status FROM job_runs WHERE run_id = '$id'")" = succeeded ] \
    || { q "SELECT error FROM job_runs WHERE run_id = '$id'"; exit 1; }
  q "SELECT round(extract(epoch FROM finished_at - started_at) * 1000) FROM job_runs WHERE run_id = '$id'"
}

# One event inserted every 100 ms; records each insert's latency, so a table lock shows as a long one.
probe_start() {
  ( while :; do
      s=$(ms); q "INSERT INTO $1 (event_id, event_type, \"timestamp\", source) VALUES (gen_random_uuid(), 'pattern_applied', now(), 'probe')" >/dev/null
      echo $(( $(ms) - s )) >> "$WORK/probe-$2"; sleep 0.1
    done ) & PROBE=$!
}
# waits a moment first: an insert that was blocked until the end must get to record its latency
probe_stop() { sleep 1; kill $PROBE; wait $PROBE 2>/dev/null || true; sort -n "$WORK/probe-$1" | tail -1; }

echo "loading $ARCHIVE_ROWS events (10 % three to six months old, in their monthly partitions) ..."
for m in 1 2 3 4 5 6 7; do q "SELECT ensure_monthly_partition('lineage_events', (date_trunc('month', now()) - interval '$m month')::date)" >/dev/null; done
OLD=$((ARCHIVE_ROWS / 10)); NEW=$((ARCHIVE_ROWS - OLD))
q "INSERT INTO lineage_events (event_id, event_type, node_id, event_data, \"timestamp\", source, correlation_id)
   SELECT gen_random_uuid(), 'pattern_applied', gen_random_uuid(), '{\"k\":1}', now() - interval '100 days' - (i % 80) * interval '1 day', 'bench', 'c' || (i % 1000)
   FROM generate_series(1, $OLD) i"
q "INSERT INTO lineage_events (event_id, event_type, node_id, event_data, \"timestamp\", source, correlation_id)
   SELECT gen_random_uuid(), 'pattern_applied', gen_random_uuid(), '{\"k\":1}', now() - (i % 50) * interval '1 day', 'bench', 'c' || (i % 1000)
   FROM generate_series(1, $NEW) i"
echo "copying them to an unpartitioned table shaped like the runbook's ..."
q "CREATE SCHEMA runbook;
   CREATE TABLE runbook.lineage_events (LIKE public.lineage_events INCLUDING DEFAULTS);
   INSERT INTO runbook.lineage_events SELECT * FROM public.lineage_events;
   ALTER TABLE runbook.lineage_events ADD PRIMARY KEY (event_id);
   CREATE INDEX ON runbook.lineage_events (correlation_id) WHERE correlation_id IS NOT NULL;
   CREATE INDEX ON runbook.lineage_events (\"timestamp\");
   CREATE TABLE runbook.lineage_events_archive (LIKE runbook.lineage_events INCLUDING ALL);"
q "VACUUM ANALYZE runbook.lineage_events"
q "VACUUM ANALYZE public.lineage_events"
OLD_ROWS=$(q "SELECT count(*) FROM lineage_events WHERE timestamp < CURRENT_DATE - INTERVAL '90 days'")
SIZE_BEFORE=$(q "SELECT pg_size_pretty(pg_total_relation_size('runbook.lineage_events'))")

probe_start public.lineage_events job
JOB_MS=$(run_job archival)
JOB_PROBE_MAX=$(probe_stop job)
JOB_LEFT=$(q "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'lineage_events'::regclass")
RECONCILED=$(q "SELECT report->>'reconciled' || ' (' || (report->>'rows_archived') || ' rows, ' || (report->>'rows_moved_with_partitions') || ' by partition)' FROM job_runs WHERE job = 'archival' ORDER BY started_at DESC LIMIT 1")

probe_start runbook.lineage_events runbook
t0=$(ms)
psql -X -q "$DB" <<SQL
BEGIN;
INSERT INTO runbook.lineage_events_archive SELECT * FROM runbook.lineage_events WHERE timestamp < CURRENT_DATE - INTERVAL '90 days';
DELETE FROM runbook.lineage_events WHERE timestamp < CURRENT_DATE - INTERVAL '90 days';
COMMIT;
VACUUM FULL runbook.lineage_events;
SQL
RUNBOOK_MS=$(( $(ms) - t0 ))
RUNBOOK_PROBE_MAX=$(probe_stop runbook)
RUNBOOK_LEFT=$(q "SELECT pg_size_pretty(pg_total_relation_size('runbook.lineage_events'))")

echo "loading $BACKUP_ROWS events for backup and restore ..."
q "DROP SCHEMA runbook CASCADE; TRUNCATE lineage_events, lineage_events_archive, lineage_nodes, lineage_edges CASCADE"
PATTERN=$(q "SELECT gen_random_uuid()")
q "INSERT INTO lineage_nodes (node_id, pattern_id, version_number) SELECT gen_random_uuid(), CASE WHEN i <= 10 THEN '$PATTERN'::uuid ELSE gen_random_uuid() END, CASE WHEN i <= 10 THEN i ELSE 1 END FROM generate_series(1, 10000) i"
q "INSERT INTO lineage_events (event_id, event_type, node_id, event_data, \"timestamp\", source)
   SELECT gen_random_uuid(), 'pattern_applied', n.node_id, '{\"k\":1}', now() - (i % 25) * interval '1 day', 'bench'
   FROM generate_series(1, $BACKUP_ROWS) i JOIN LATERAL (SELECT node_id FROM lineage_nodes OFFSET (i % 10000) LIMIT 1) n ON true"
BACKUP_MS=$(run_job backup)
DUMP=$(ls "$WORK/backups" | grep '\.dump$' | head -1)
DUMP_SIZE=$(du -h "$WORK/backups/$DUMP" | cut -f1)
PATTERN_EVENTS=$(q "SELECT count(*) FROM lineage_events e JOIN lineage_nodes n USING (node_id) WHERE n.pattern_id = '$PATTERN'")
q "DELETE FROM lineage_events WHERE node_id IN (SELECT node_id FROM lineage_nodes WHERE pattern_id = '$PATTERN');
   DELETE FROM lineage_nodes WHERE pattern_id = '$PATTERN'"
RESTORE_MS=$(run_job restore "{\"dump\":\"$DUMP\",\"pattern_id\":\"$PATTERN\"}")
RESTORED=$(q "SELECT count(*) FROM lineage_events e JOIN lineage_nodes n USING (node_id) WHERE n.pattern_id = '$PATTERN'")

printf '\n%-58s %10s %16s %14s\n' "archival, $ARCHIVE_ROWS events, $OLD_ROWS older than 90 days" "ms" "longest insert ms" "events left"
printf '%-58s %10s %16s %14s\n' "archival job (partitions DETACH/ATTACH + batches)" "$JOB_MS" "$JOB_PROBE_MAX" "$JOB_LEFT"
printf '%-58s %10s %16s %14s\n' "runbook: INSERT SELECT + DELETE + VACUUM FULL (unpartitioned)" "$RUNBOOK_MS" "$RUNBOOK_PROBE_MAX" "$RUNBOOK_LEFT"
echo "(table before: $SIZE_BEFORE unpartitioned; job reconciled: $RECONCILED; longest insert = slowest probe insert while it ran)"
printf '\n%-58s %10s %16s\n' "backup and restore, $BACKUP_ROWS events" "ms" "result"
printf '%-58s %10s %16s\n' "backup job (pg_dump -Fc + pg_restore --list + sha256 + schema)" "$BACKUP_MS" "$DUMP_SIZE"
printf '%-58s %10s %16s\n' "restore of one pattern (scratch database, copy, drop)" "$RESTORE_MS" "$RESTORED/$PATTERN_EVENTS events"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

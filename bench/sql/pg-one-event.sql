-- pgbench script: what one stored pattern_created event costs PostgreSQL when each event is its own transaction
-- (no group commit): the statements the service runs for it (pattern lock, idempotency-key and newest-version
-- lookups, then the node, event and key rows), one round trip each. Used by bench/http-wrk.sh.
\set k random(1, 2000000000)
BEGIN;
SELECT pg_advisory_xact_lock(5000000, :k);
SELECT gen_random_uuid() AS n, gen_random_uuid() AS p, gen_random_uuid() AS e \gset
SELECT 1 FROM lineage_event_keys WHERE event_id = :e;
SELECT node_id FROM lineage_nodes WHERE pattern_id = :p ORDER BY version_number DESC LIMIT 1;
INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_type, created_at, created_by)
VALUES (:n, :p, 1, 'code', now(), 'pgbench');
INSERT INTO lineage_events (event_id, event_type, node_id, event_data, "timestamp", source)
VALUES (:e, 'pattern_created', :n, '{"event_type":"pattern_created","source":"pgbench"}', now(), 'pgbench');
INSERT INTO lineage_event_keys (event_id, node_id, pattern_id, version_number) VALUES (:e, :n, :p, 1);
COMMIT;

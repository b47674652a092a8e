-- pgbench script: the best case of group commit with 32 clients: all 32 events in one transaction, the same
-- statements as the service's writer (locks, lookups by array, multi-row inserts). Used by bench/http-wrk.sh.
BEGIN;
SELECT pg_advisory_xact_lock(5000000, (random() * 2e9)::int) FROM generate_series(1, 32);
SELECT 1 FROM lineage_event_keys WHERE event_id = ANY (ARRAY(SELECT gen_random_uuid() FROM generate_series(1, 32)));
SELECT n.node_id FROM unnest(ARRAY(SELECT gen_random_uuid() FROM generate_series(1, 32))) AS p(id)
  CROSS JOIN LATERAL (SELECT node_id FROM lineage_nodes WHERE pattern_id = p.id
                       ORDER BY version_number DESC LIMIT 1) n;
WITH r AS (SELECT gen_random_uuid() AS n, gen_random_uuid() AS p, gen_random_uuid() AS e FROM generate_series(1, 32)),
     nodes AS (INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_type, created_at, created_by)
               SELECT n, p, 1, 'code', now(), 'pgbench' FROM r),
     events AS (INSERT INTO lineage_events (event_id, event_type, node_id, event_data, "timestamp", source)
                SELECT e, 'pattern_created', n, '{"event_type":"pattern_created","source":"pgbench"}', now(), 'pgbench'
                  FROM r)
INSERT INTO lineage_event_keys (event_id, node_id, pattern_id, version_number) SELECT e, n, p, 1 FROM r;
COMMIT;

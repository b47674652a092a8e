-- Repeatable migration: the current definition of refresh_lineage_patterns. To change it, edit this file: Flyway
-- applies it again whenever its checksum changes.
--
-- Brings the lineage_patterns rows of the given patterns up to date from lineage_nodes: newest version, its name,
-- type, status and external pattern id (V11), the version count. p_activity (same length as p_patterns; NULL
-- entries allowed) is the time of each pattern's newest event in this write; last_activity only moves forward. p_nodes names nodes whose status
-- changed: their patterns are refreshed too (a merge marks other patterns' versions merged). The ingest writer calls
-- it in the transaction that stores the events; a single-pattern restore calls it after copying the rows.
-- Not checked against the tables now: Flyway may apply repeatables to a schema migrated to an earlier version
-- (flyway migrate -target=6), before lineage_patterns (V7) exists.
SET LOCAL check_function_bodies = false;
CREATE OR REPLACE FUNCTION refresh_lineage_patterns(p_patterns uuid[], p_activity timestamptz[], p_nodes uuid[])
RETURNS void
LANGUAGE sql AS $$
    WITH touched AS (
        SELECT id, max(ts) AS ts
          FROM (SELECT * FROM unnest(p_patterns, p_activity) AS t(id, ts)
                UNION ALL
                SELECT pattern_id, NULL::timestamptz FROM lineage_nodes WHERE node_id = ANY (p_nodes)) a
         GROUP BY id
    )
    INSERT INTO lineage_patterns AS lp (pattern_id, pattern_name, pattern_type, status, newest_node_id,
                                        newest_version, version_count, created_at, last_activity,
                                        external_pattern_id)
    SELECT n.pattern_id, n.pattern_name, n.pattern_type, n.status, n.node_id, n.version_number, c.versions,
           c.first_created, coalesce(t.ts, c.last_created), n.external_pattern_id
      FROM touched t
      CROSS JOIN LATERAL (SELECT * FROM lineage_nodes WHERE pattern_id = t.id
                           ORDER BY version_number DESC LIMIT 1) n
      CROSS JOIN LATERAL (SELECT count(*) AS versions, min(created_at) AS first_created,
                                 max(created_at) AS last_created
                            FROM lineage_nodes WHERE pattern_id = t.id) c
    ON CONFLICT (pattern_id) DO UPDATE
       SET pattern_name = excluded.pattern_name, pattern_type = excluded.pattern_type, status = excluded.status,
           newest_node_id = excluded.newest_node_id, newest_version = excluded.newest_version,
           version_count = excluded.version_count, external_pattern_id = excluded.external_pattern_id,
           last_activity = greatest(lp.last_activity, excluded.last_activity)
$$;

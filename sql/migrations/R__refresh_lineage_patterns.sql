-- Repeatable migration: the current definition of refresh_lineage_patterns and refresh_pending_lineage_patterns. To
-- change them, edit this file: Flyway applies it again whenever its checksum changes.
--
-- refresh_lineage_patterns brings the lineage_patterns rows of the given patterns up to date from lineage_nodes:
-- newest version, its name, type, status and external pattern id (V11), the version count. p_activity (same length
-- as p_patterns; NULL entries allowed) is the time of each pattern's newest event; last_activity only moves forward.
-- p_nodes names nodes whose status changed: their patterns are refreshed too (a merge marks other patterns' versions
-- merged). Callers: the summary refresher after each ingest commit (through refresh_pending_lineage_patterns), the
-- feedback loop after it applies an improvement, a restore after it copies the rows.
--
-- Refreshes take turns (one advisory lock for all of them, held to the end of the transaction, taken after the
-- table's lock), and the upsert is a statement of its own after the lock, so it reads lineage_nodes as committed
-- when the lock was granted: a refresh that computed its values before another one committed cannot overwrite that
-- one with older values. A SQL function, not PL/pgSQL: it is planned at each call, so its plan follows
-- lineage_nodes as it grows (PL/pgSQL may keep a generic plan for the session, chosen while the table was small).
-- Not checked against the tables now: Flyway may apply repeatables to a schema migrated to an earlier version
-- (flyway migrate -target=6), before lineage_patterns (V7) exists.
SET LOCAL check_function_bodies = false;
CREATE OR REPLACE FUNCTION refresh_lineage_patterns(p_patterns uuid[], p_activity timestamptz[], p_nodes uuid[])
RETURNS void
LANGUAGE sql AS $$
    -- the table first, then the turn: a restore empties the table (TRUNCATE) before it refreshes every pattern
    LOCK TABLE lineage_patterns IN ROW EXCLUSIVE MODE;
    SELECT pg_advisory_xact_lock(5461325, 1); -- 0x53554d, "SUM": our advisory-lock namespace for summaries
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
           last_activity = greatest(lp.last_activity, excluded.last_activity);
$$;

-- refresh_pending_lineage_patterns refreshes the summaries that lineage_patterns_pending (V14) rows name and deletes
-- those rows, in the caller's transaction: the rows p_batches names, or with NULL the oldest 100 left behind (older
-- than 5 seconds: a commit's own refresh follows it within milliseconds). Rows another transaction is refreshing are
-- skipped. Returns how many rows it took. The caller's commit does not wait
-- for its WAL to reach the disk (synchronous_commit off for that transaction): a commit lost in a crash leaves its
-- rows pending, and the sweep after the restart refreshes them again.
CREATE OR REPLACE FUNCTION refresh_pending_lineage_patterns(p_batches bigint[])
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    taken      bigint[];
    patterns   uuid[];
    activity   timestamptz[];
    nodes      uuid[];
BEGIN
    SELECT array_agg(batch_id) INTO taken
      FROM (SELECT batch_id FROM lineage_patterns_pending
             WHERE batch_id = ANY (p_batches)
                OR p_batches IS NULL AND recorded_at < now() - interval '5 seconds'
             ORDER BY batch_id LIMIT CASE WHEN p_batches IS NULL THEN 100 END
             FOR UPDATE SKIP LOCKED) b;
    IF taken IS NULL THEN
        RETURN 0;
    END IF;
    PERFORM set_config('synchronous_commit', 'off', true);
    -- one aggregate pass, so the two arrays stay aligned pattern to activity
    SELECT array_agg(t.id), array_agg(t.ts) INTO patterns, activity
      FROM lineage_patterns_pending q, unnest(q.patterns, q.activity) AS t(id, ts)
     WHERE q.batch_id = ANY (taken);
    SELECT array_agg(t.id) INTO nodes
      FROM lineage_patterns_pending q, unnest(q.nodes) AS t(id)
     WHERE q.batch_id = ANY (taken);
    PERFORM refresh_lineage_patterns(coalesce(patterns, '{}'), coalesce(activity, '{}'), coalesce(nodes, '{}'));
    DELETE FROM lineage_patterns_pending WHERE batch_id = ANY (taken);
    RETURN cardinality(taken);
END
$$;

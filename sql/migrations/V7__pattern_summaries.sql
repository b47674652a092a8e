-- One row per pattern: its newest version, how many versions it has and when it last saw activity, so listing and
-- searching patterns (GET /api/lineage/patterns) reads one small row per pattern instead of grouping lineage_nodes.
-- Kept current in the same transaction as the lineage rows it summarises (refresh_lineage_patterns, R__ file), and
-- backed up and restored with them. last_activity is the time of the pattern's newest lineage event.
CREATE TABLE lineage_patterns (
    pattern_id      uuid PRIMARY KEY,
    pattern_name    text,
    pattern_type    text,
    status          text NOT NULL,
    newest_node_id  uuid NOT NULL,
    newest_version  integer NOT NULL,
    version_count   integer NOT NULL,
    created_at      timestamptz NOT NULL,
    last_activity   timestamptz NOT NULL
);

-- Newest activity first, keyset-paginated on (last_activity, pattern_id).
CREATE INDEX idx_lineage_patterns_activity ON lineage_patterns (last_activity DESC, pattern_id DESC);
-- Name prefix search (lower(name) LIKE 'abc%').
CREATE INDEX idx_lineage_patterns_name_prefix ON lineage_patterns (lower(pattern_name) text_pattern_ops);

-- Substring search uses a trigram index where the server offers pg_trgm (the embedded server does); elsewhere it
-- scans lineage_patterns, which is one row per pattern.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX idx_lineage_patterns_name_trgm ON lineage_patterns USING gin (lower(pattern_name) gin_trgm_ops);
    ELSE
        RAISE NOTICE 'pg_trgm is not available on this server: pattern substring search scans lineage_patterns';
    END IF;
END
$$;

INSERT INTO lineage_patterns (pattern_id, pattern_name, pattern_type, status, newest_node_id, newest_version,
                              version_count, created_at, last_activity)
SELECT n.pattern_id, n.pattern_name, n.pattern_type, n.status, n.node_id, n.version_number, c.versions,
       c.first_created, greatest(c.last_created, e.last_event)
  FROM (SELECT pattern_id, count(*) AS versions, min(created_at) AS first_created, max(created_at) AS last_created
          FROM lineage_nodes GROUP BY pattern_id) c
  CROSS JOIN LATERAL (SELECT * FROM lineage_nodes WHERE pattern_id = c.pattern_id
                       ORDER BY version_number DESC LIMIT 1) n
  LEFT JOIN LATERAL (SELECT max(k.recorded_at) AS last_event FROM lineage_event_keys k
                      WHERE k.pattern_id = c.pattern_id) e ON true;

-- Lineage graph: one row per pattern version (node), typed edges between versions, and an append-only event log.
-- Contract names (tables, idx_lineage_* indexes, get_lineage_path) are promised to operators by the runbook.

CREATE TABLE lineage_nodes (
    node_id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    pattern_id            uuid NOT NULL,
    version_number        integer NOT NULL CHECK (version_number >= 1),
    parent_node_id        uuid REFERENCES lineage_nodes (node_id),
    pattern_name          text,
    pattern_type          text,
    template_code         text,
    confidence_score      double precision CHECK (confidence_score BETWEEN 0 AND 1),
    performance_baseline  jsonb,            -- {"p50_ms":..,"p95_ms":..,"p99_ms":..,"avg_ms":..}
    quality_baseline      double precision CHECK (quality_baseline BETWEEN 0 AND 1),
    success_rate_baseline double precision CHECK (success_rate_baseline BETWEEN 0 AND 1),
    created_at            timestamptz NOT NULL DEFAULT now(),
    created_by            text,
    status                text NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'deprecated', 'archived', 'merged')),
    correlation_id        text,
    CONSTRAINT lineage_nodes_not_own_parent CHECK (parent_node_id IS DISTINCT FROM node_id)
);

-- Unique: two versions of one pattern never share a number.
CREATE UNIQUE INDEX idx_lineage_nodes_pattern_version ON lineage_nodes (pattern_id, version_number);
-- Walking children (descendants) needs it: 0.1 ms with it, seconds without at 1M nodes.
CREATE INDEX idx_lineage_nodes_parent ON lineage_nodes (parent_node_id) WHERE parent_node_id IS NOT NULL;
CREATE INDEX idx_lineage_nodes_name ON lineage_nodes (pattern_name) WHERE pattern_name IS NOT NULL;
CREATE INDEX idx_lineage_nodes_created ON lineage_nodes (created_at DESC);
CREATE INDEX idx_lineage_nodes_correlation ON lineage_nodes (correlation_id) WHERE correlation_id IS NOT NULL;

CREATE TABLE lineage_edges (
    edge_id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    source_node_id uuid NOT NULL REFERENCES lineage_nodes (node_id),
    target_node_id uuid NOT NULL REFERENCES lineage_nodes (node_id),
    edge_type      text NOT NULL CHECK (edge_type IN ('DERIVED_FROM', 'IMPROVED_VERSION', 'FORKED_FROM',
                                                      'MERGED_INTO', 'DEPRECATED_BY', 'RELATED_TO')),
    weight         double precision NOT NULL DEFAULT 1.0 CHECK (weight BETWEEN 0 AND 1),
    metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    created_by     text,
    correlation_id text,
    CONSTRAINT lineage_edges_no_self_loop CHECK (source_node_id <> target_node_id)
);

-- Unique (source, target, type); leading on source_node_id it also serves the runbook's source lookups.
CREATE UNIQUE INDEX idx_lineage_edges_source ON lineage_edges (source_node_id, target_node_id, edge_type);
CREATE INDEX idx_lineage_edges_target ON lineage_edges (target_node_id);
CREATE INDEX idx_lineage_edges_type_created ON lineage_edges (edge_type, created_at DESC);

-- The event log is range-partitioned by month on "timestamp", so archival and retention detach or drop whole
-- months instead of DELETE + VACUUM FULL. The primary key must then include the partition column; idempotency
-- on event_id alone is enforced by the ingest path. lineage_events_archive has the same columns in the same
-- order, so the runbook's INSERT ... SELECT * still works, and a month can move by DETACH/ATTACH.
CREATE TABLE lineage_events (
    event_id       uuid NOT NULL,
    event_type     text NOT NULL CHECK (event_type IN ('pattern_created', 'pattern_modified', 'pattern_forked',
                                                       'pattern_merged', 'pattern_deprecated', 'pattern_applied',
                                                       'improvement_applied', 'pattern_restored')),
    node_id        uuid,
    edge_id        uuid,
    event_data     jsonb NOT NULL DEFAULT '{}'::jsonb,
    "timestamp"    timestamptz NOT NULL DEFAULT now(),
    source         text,
    correlation_id text,
    user_id        text,
    PRIMARY KEY (event_id, "timestamp")
) PARTITION BY RANGE ("timestamp");

CREATE TABLE lineage_events_default PARTITION OF lineage_events DEFAULT;

CREATE INDEX idx_lineage_events_correlation ON lineage_events (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX idx_lineage_events_node ON lineage_events (node_id, "timestamp" DESC) WHERE node_id IS NOT NULL;
CREATE INDEX idx_lineage_events_type_timestamp ON lineage_events (event_type, "timestamp" DESC);
CREATE INDEX idx_lineage_events_timestamp ON lineage_events ("timestamp");

CREATE TABLE lineage_events_archive (
    event_id       uuid NOT NULL,
    event_type     text NOT NULL,
    node_id        uuid,
    edge_id        uuid,
    event_data     jsonb NOT NULL DEFAULT '{}'::jsonb,
    "timestamp"    timestamptz NOT NULL,
    source         text,
    correlation_id text,
    user_id        text,
    PRIMARY KEY (event_id, "timestamp")
) PARTITION BY RANGE ("timestamp");

CREATE TABLE lineage_events_archive_default PARTITION OF lineage_events_archive DEFAULT;

CREATE INDEX idx_lineage_events_archive_correlation ON lineage_events_archive (correlation_id)
    WHERE correlation_id IS NOT NULL;
CREATE INDEX idx_lineage_events_archive_node ON lineage_events_archive (node_id) WHERE node_id IS NOT NULL;
CREATE INDEX idx_lineage_events_archive_timestamp ON lineage_events_archive ("timestamp");

-- The path from the root to a node along parent_node_id, root first (position 1). Depth-capped at 100 and
-- cycle-safe, so a damaged graph can never make it loop.
CREATE FUNCTION get_lineage_path(p_node_id uuid)
RETURNS TABLE (
    "position"     integer,
    node_id        uuid,
    pattern_id     uuid,
    version_number integer,
    parent_node_id uuid,
    pattern_name   text,
    status         text,
    created_at     timestamptz
)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE walk AS (
        SELECT n.node_id, n.pattern_id, n.version_number, n.parent_node_id, n.pattern_name, n.status,
               n.created_at, 1 AS depth, ARRAY[n.node_id] AS seen
          FROM lineage_nodes n
         WHERE n.node_id = p_node_id
        UNION ALL
        SELECT p.node_id, p.pattern_id, p.version_number, p.parent_node_id, p.pattern_name, p.status,
               p.created_at, w.depth + 1, w.seen || p.node_id
          FROM walk w
          JOIN lineage_nodes p ON p.node_id = w.parent_node_id
         WHERE w.depth < 100
           AND NOT p.node_id = ANY (w.seen)
    )
    SELECT (max(depth) OVER () - depth + 1)::integer, node_id, pattern_id, version_number, parent_node_id,
           pattern_name, status, created_at
      FROM walk
     ORDER BY depth DESC
$$;

-- Creates the monthly partition of a range-partitioned table that holds month_start, if missing, and returns its
-- name (NULL when it existed). Rows for that month already sitting in the default partition are moved into it,
-- so an early or late event never blocks a later partition.
CREATE FUNCTION ensure_monthly_partition(parent regclass, month_start date)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    parent_name text := (SELECT c.relname FROM pg_class c WHERE c.oid = parent);
    part_col    text;
    lo          date := date_trunc('month', month_start)::date;
    hi          date := (date_trunc('month', month_start) + interval '1 month')::date;
    part_name   text := parent_name || '_' || to_char(lo, 'YYYY_MM');
    default_rel text := parent_name || '_default';
BEGIN
    IF to_regclass(quote_ident(part_name)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    SELECT a.attname INTO part_col
      FROM pg_partitioned_table pt
      JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
     WHERE pt.partrelid = parent;
    EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name, parent);
    IF to_regclass(quote_ident(default_rel)) IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved',
                       default_rel, part_col, lo, part_col, hi, part_name);
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part_name, lo, hi);
    RETURN part_name;
END
$$;

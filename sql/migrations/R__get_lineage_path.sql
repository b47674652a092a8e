-- Repeatable migration: the current definition of get_lineage_path (contract name from the runbook). To change the
-- function, edit this file: Flyway applies it again whenever its checksum changes, after the versioned migrations.
-- (V1 created the first version; applied versioned migrations never change.) A change of its result columns needs
-- a DROP FUNCTION IF EXISTS get_lineage_path(uuid) first: CREATE OR REPLACE cannot change a function's row type.

-- The path from the root to a node along parent_node_id, root first (position 1). Depth-capped at 100 and
-- cycle-safe, so a damaged graph can never make it loop. Each step carries its performance baseline and, where the
-- step was recorded as an improvement of its parent, the IMPROVED_VERSION edge's metadata (GET /api/lineage/{pattern}/
-- path/{node} answers exactly these rows).
DROP FUNCTION IF EXISTS get_lineage_path(uuid);
CREATE FUNCTION get_lineage_path(p_node_id uuid)
RETURNS TABLE (
    "position"              integer,
    node_id                 uuid,
    pattern_id              uuid,
    version_number          integer,
    parent_node_id          uuid,
    pattern_name            text,
    status                  text,
    created_at              timestamptz,
    performance_baseline    jsonb,
    improvement_from_parent jsonb
)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE walk AS (
        SELECT n.node_id, n.pattern_id, n.version_number, n.parent_node_id, n.pattern_name, n.status,
               n.created_at, n.performance_baseline, 1 AS depth, ARRAY[n.node_id] AS seen
          FROM lineage_nodes n
         WHERE n.node_id = p_node_id
        UNION ALL
        SELECT p.node_id, p.pattern_id, p.version_number, p.parent_node_id, p.pattern_name, p.status,
               p.created_at, p.performance_baseline, w.depth + 1, w.seen || p.node_id
          FROM walk w
          JOIN lineage_nodes p ON p.node_id = w.parent_node_id
         WHERE w.depth < 100
           AND NOT p.node_id = ANY (w.seen)
    )
    SELECT (max(w.depth) OVER () - w.depth + 1)::integer, w.node_id, w.pattern_id, w.version_number,
           w.parent_node_id, w.pattern_name, w.status, w.created_at, w.performance_baseline,
           (SELECT e.metadata FROM lineage_edges e
             WHERE e.source_node_id = w.parent_node_id AND e.target_node_id = w.node_id
               AND e.edge_type = 'IMPROVED_VERSION')
      FROM walk w
     ORDER BY w.depth DESC
$$;

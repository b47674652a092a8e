-- A lineage graph for bench/lineage.sh: 20,000 patterns of 50 versions (depth-50 chains, 1,000,000 nodes), every
-- tenth forked from another pattern's version 25, every twentieth merging another pattern's version 50 into its
-- version 30, plus 80,000 one-version patterns: 1,080,000 nodes and 100,000 patterns in all. Ids are md5-derived,
-- so the benchmark program can name any node: pattern k is md5('p' || k), its version v md5('n' || k || ':' || v).
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO lineage_nodes (node_id, pattern_id, version_number, parent_node_id, pattern_name, pattern_type, created_at)
SELECT md5('n' || k || ':' || v)::uuid, md5('p' || k)::uuid, v,
       CASE WHEN v > 1 THEN md5('n' || k || ':' || (v - 1))::uuid
            WHEN k % 10 = 5 THEN md5('n' || (k - 5) || ':25')::uuid END,
       'bench-pattern-' || k, (ARRAY['retry', 'cache', 'auth', 'io'])[k % 4 + 1],
       now() - interval '1 second' * (2000000 - (k * 50 + v))
  FROM generate_series(0, 19999) k, generate_series(1, 50) v;
INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_name, pattern_type, created_at)
SELECT md5('n' || k || ':1')::uuid, md5('p' || k)::uuid, 1, 'bench-pattern-' || k,
       (ARRAY['retry', 'cache', 'auth', 'io'])[k % 4 + 1], now() - interval '1 second' * (100000 - k)
  FROM generate_series(20000, 99999) k;
INSERT INTO lineage_edges (source_node_id, target_node_id, edge_type)
SELECT md5('n' || k || ':' || (v - 1))::uuid, md5('n' || k || ':' || v)::uuid,
       CASE WHEN v % 7 = 0 THEN 'IMPROVED_VERSION' ELSE 'DERIVED_FROM' END
  FROM generate_series(0, 19999) k, generate_series(2, 50) v;
INSERT INTO lineage_edges (source_node_id, target_node_id, edge_type)
SELECT md5('n' || (k - 5) || ':25')::uuid, md5('n' || k || ':1')::uuid, 'FORKED_FROM'
  FROM generate_series(5, 19999, 10) k;
INSERT INTO lineage_edges (source_node_id, target_node_id, edge_type)
SELECT md5('n' || (k - 1) || ':50')::uuid, md5('n' || k || ':30')::uuid, 'MERGED_INTO'
  FROM generate_series(20, 19999, 20) k;
SELECT refresh_lineage_patterns(ARRAY(SELECT md5('p' || k)::uuid FROM generate_series(0, 99999) k), NULL, NULL);
COMMIT;
VACUUM ANALYZE lineage_nodes;
VACUUM ANALYZE lineage_edges;
VACUUM ANALYZE lineage_patterns;
